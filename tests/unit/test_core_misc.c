/* core/err, core/buf, core/log, core/json, core/file: the error table, the size cap, logfmt output
 * and levels, the checked json_pack, a file holding given bytes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/file.h"
#include "core/json.h"
#include "core/log.h"

static void error_table(void **state)
{
    (void)state;
    assert_string_equal(rc_name(RC_OK), "OK");
    assert_string_equal(rc_name(RC_EPARSE), "EPARSE");
    assert_string_equal(rc_strerror(RC_ETOOBIG), "size limit exceeded");
    assert_string_equal(rc_name(12345), "UNKNOWN");
    assert_true(RC_EINVAL < 0 && RC_ECONFLICT < 0);
}

static void buf_caps(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_string_equal(buf_cstr(&b), "");
    assert_int_equal(buf_append_str(&b, "hello"), 0);
    assert_int_equal(buf_appendf(&b, "%d", 1234), 0);
    assert_string_equal(buf_cstr(&b), "hello1234");
    assert_int_equal(buf_error(&b), 0);
    assert_int_equal(buf_append_str(&b, "z"), 0); /* exactly the cap */
    assert_int_equal(b.len, 10);
    size_t n;
    char *s = buf_steal(&b, &n);
    assert_int_equal(n, 10);
    assert_string_equal(s, "hello1234z");
    free(s);
    assert_int_equal(b.len, 0);
    buf_close(&b);
}

/* Once an append failed, the buffer keeps the error: later appends that would fit fail too
 * (no document with a hole in the middle), and buf_steal refuses the cut content. */
static void buf_error_sticks(void **state)
{
    (void)state;
    struct buf b;
    buf_init(&b, 10);
    assert_int_equal(buf_append_str(&b, "hello"), 0);
    assert_int_equal(buf_append_str(&b, "world!"), RC_ETOOBIG);
    assert_string_equal(buf_cstr(&b), "hello"); /* left as it was */
    assert_int_equal(buf_error(&b), RC_ETOOBIG);
    assert_int_equal(buf_append_str(&b, "z"), RC_ETOOBIG);
    assert_int_equal(buf_appendf(&b, "%d", 1), RC_ETOOBIG);
    assert_string_equal(buf_cstr(&b), "hello");
    size_t n = 99;
    assert_null(buf_steal(&b, &n));
    assert_int_equal(n, 0);
    /* Afterwards the buffer is empty and usable again. */
    assert_int_equal(buf_error(&b), 0);
    assert_int_equal(buf_append_str(&b, "ok"), 0);
    char *s = buf_steal(&b, NULL);
    assert_string_equal(s, "ok");
    free(s);
    /* buf_reset clears the error too. */
    assert_int_equal(buf_append_str(&b, "0123456789A"), RC_ETOOBIG);
    buf_reset(&b);
    assert_int_equal(buf_error(&b), 0);
    assert_int_equal(buf_append_str(&b, "again"), 0);
    assert_string_equal(buf_cstr(&b), "again");
    buf_close(&b);
}

static char last_line[4096];
static int lines;

static void capture(void *ctx, const char *line)
{
    (void)ctx;
    snprintf(last_line, sizeof last_line, "%s", line);
    lines++;
}

static void logfmt_lines(void **state)
{
    (void)state;
    log_sink_set(capture, NULL);
    log_level_set(LOG_LEVEL_INFO);
    log_info("said \"hi\"\nthere", "n=%d", 3);
    assert_non_null(strstr(last_line, " level=info msg=\"said \\\"hi\\\"\\nthere\" n=3"));
    assert_int_equal(strncmp(last_line, "ts=", 3), 0);
    int before = lines;
    log_debug("hidden", NULL);
    assert_int_equal(lines, before);
    log_level_set(LOG_LEVEL_DEBUG);
    log_debug("shown", NULL);
    assert_int_equal(lines, before + 1);
    assert_non_null(strstr(last_line, "level=debug msg=\"shown\""));
    enum log_level l;
    assert_int_equal(log_level_parse("warn", &l), 0);
    assert_int_equal(l, LOG_LEVEL_WARN);
    assert_int_equal(log_level_parse("loud", &l), RC_EINVAL);
    log_sink_set(NULL, NULL);
}

/* json_pack goes through core/json.h's checked wrapper: a good format packs as jansson's does;
 * a format that does not match its arguments aborts a debug build and, in a release build,
 * logs where it happened and returns NULL. */
static void json_pack_checked(void **state)
{
    (void)state;
    json_t *j = json_pack("{sisi}", "a", 1, "b", 2);
    assert_non_null(j);
    assert_int_equal(json_integer_value(json_object_get(j, "b")), 2);
    json_decref(j);
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        log_sink_set(capture, NULL);
        log_level_set(LOG_LEVEL_INFO);
        last_line[0] = '\0';
        json_t *bad = json_pack("{ss}", "field", (const char *)NULL); /* "s" takes no NULL */
        bool logged =
            strstr(last_line, "json_pack failed") && strstr(last_line, "test_core_misc.c");
        _exit(bad == NULL && logged ? 0 : 1);
    }
    int st;
    assert_int_equal(waitpid(pid, &st, 0), pid);
#ifdef NDEBUG
    assert_true(WIFEXITED(st) && WEXITSTATUS(st) == 0);
#else
    assert_true(WIFSIGNALED(st) && WTERMSIG(st) == SIGABRT);
#endif
}

/* file_holds: the export keeps a file that already holds its bytes (scheduler/export.c). */
static void file_holds_exact_bytes(void **state)
{
    (void)state;
    char dir[] = "/tmp/relcal-file-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[64];
    snprintf(path, sizeof path, "%s/f", dir);
    assert_int_equal(file_write_atomic(path, "hello", 5), 0);
    assert_true(file_holds(path, "hello", 5));
    assert_false(file_holds(path, "hellO", 5)); /* same length, other bytes */
    assert_false(file_holds(path, "hell", 4));
    assert_false(file_holds(path, "hello!", 6));
    assert_false(file_holds(dir, "", 0)); /* a directory */
    char missing[64];
    snprintf(missing, sizeof missing, "%s/none", dir);
    assert_false(file_holds(missing, "", 0));
    assert_int_equal(file_write_atomic(path, "", 0), 0);
    assert_true(file_holds(path, "", 0));
    unlink(path);
    rmdir(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(error_table),       cmocka_unit_test(buf_caps),
        cmocka_unit_test(buf_error_sticks),  cmocka_unit_test(logfmt_lines),
        cmocka_unit_test(json_pack_checked), cmocka_unit_test(file_holds_exact_bytes),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
