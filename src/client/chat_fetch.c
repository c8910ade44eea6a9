/* The chat's REST worker thread; see chat_fetch.h. */
#include "client/chat_fetch.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>

#include "client/rest.h"
#include "common/jsonx.h"
#include "common/xalloc.h"

struct request {
    struct request *next;
    char *path;
    chat_fetch_done done;
    void *ud;
    void *arg;
    struct rest_response resp;
    char error[640];
    bool answered; /* resp.status is an HTTP answer */
};

struct chat_fetch {
    const struct cli_ctx *cli;
    pthread_t thread;
    bool started;
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct request *todo, **todo_tail; /* guarded by mu */
    struct request *done, **done_tail; /* guarded by mu */
    atomic_int stop;
    size_t busy; /* loop thread only */
    int pipe[2];
    bool fd_adopted;
};

static int is_cancelled(void *ud)
{
    struct chat_fetch *f = ud;
    return atomic_load(&f->stop);
}

/* Runs one request on the worker and words a failure for the pane. */
static void perform(struct chat_fetch *f, struct request *r)
{
    struct sb_err err = {0};

    if (rest_request_cancellable(f->cli, "GET", r->path, NULL, is_cancelled, f, &r->resp, &err) !=
        SB_OK) {
        snprintf(r->error, sizeof r->error, "%s", err.msg);
        return;
    }
    r->answered = true;
    if (r->resp.status != 200) {
        const char *e = r->resp.body ? jsonx_get_string(r->resp.body, "error") : NULL;
        snprintf(r->error, sizeof r->error, "the server answered %ld: %s", r->resp.status,
                 e ? e : "no details");
    } else if (!r->resp.body) {
        snprintf(r->error, sizeof r->error, "the server's answer is not JSON");
    }
}

static void *worker(void *arg)
{
    struct chat_fetch *f = arg;

    pthread_mutex_lock(&f->mu);
    for (;;) {
        while (!f->todo && !atomic_load(&f->stop))
            pthread_cond_wait(&f->cv, &f->mu);
        if (atomic_load(&f->stop))
            break;
        struct request *r = f->todo;
        f->todo = r->next;
        if (!f->todo)
            f->todo_tail = &f->todo;
        pthread_mutex_unlock(&f->mu);
        perform(f, r);
        pthread_mutex_lock(&f->mu);
        r->next = NULL;
        *f->done_tail = r;
        f->done_tail = &r->next;
        if (write(f->pipe[1], "x", 1) < 0) {
            /* the pipe is full, so the loop is already woken */
        }
    }
    pthread_mutex_unlock(&f->mu);
    return NULL;
}

static void request_free(struct request *r)
{
    rest_response_free(&r->resp);
    free(r->path);
    free(r->arg);
    free(r);
}

static void list_free(struct request *r)
{
    while (r) {
        struct request *next = r->next;
        request_free(r);
        r = next;
    }
}

int chat_fetch_new(const struct cli_ctx *cli, struct chat_fetch **out, struct sb_err *err)
{
    struct chat_fetch *f = xcalloc(1, sizeof *f);

    *out = NULL;
    f->cli = cli;
    f->todo_tail = &f->todo;
    f->done_tail = &f->done;
    f->pipe[0] = f->pipe[1] = -1;
    pthread_mutex_init(&f->mu, NULL);
    pthread_cond_init(&f->cv, NULL);
    if (pipe2(f->pipe, O_CLOEXEC | O_NONBLOCK)) {
        int e = errno;
        chat_fetch_free(f);
        return sb_err_set(err, SB_EINTERNAL, "cannot create a pipe: %s", strerror(e));
    }
    /* libcurl's global set-up is not thread-safe: do it here, not in the worker */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (pthread_create(&f->thread, NULL, worker, f)) {
        chat_fetch_free(f);
        return sb_err_set(err, SB_EINTERNAL, "cannot start the request thread");
    }
    f->started = true;
    *out = f;
    return SB_OK;
}

void chat_fetch_free(struct chat_fetch *f)
{
    if (!f)
        return;
    if (f->started) {
        pthread_mutex_lock(&f->mu);
        atomic_store(&f->stop, 1);
        pthread_cond_signal(&f->cv);
        pthread_mutex_unlock(&f->mu);
        pthread_join(f->thread, NULL);
        curl_global_cleanup();
    }
    list_free(f->todo);
    list_free(f->done);
    pthread_cond_destroy(&f->cv);
    pthread_mutex_destroy(&f->mu);
    if (f->pipe[0] >= 0 && !f->fd_adopted)
        close(f->pipe[0]);
    if (f->pipe[1] >= 0)
        close(f->pipe[1]);
    free(f);
}

int chat_fetch_fd(const struct chat_fetch *f)
{
    return f->pipe[0];
}

void chat_fetch_fd_adopted(struct chat_fetch *f)
{
    f->fd_adopted = true;
}

void chat_fetch_get(struct chat_fetch *f, const char *path, chat_fetch_done done, void *ud,
                    const void *arg, size_t arg_len)
{
    struct request *r = xcalloc(1, sizeof *r);

    r->path = xstrdup(path);
    if (arg_len) {
        r->arg = xmalloc(arg_len);
        memcpy(r->arg, arg, arg_len);
    }
    r->done = done;
    r->ud = ud;
    pthread_mutex_lock(&f->mu);
    *f->todo_tail = r;
    f->todo_tail = &r->next;
    pthread_cond_signal(&f->cv);
    pthread_mutex_unlock(&f->mu);
    f->busy++;
}

void chat_fetch_drain(struct chat_fetch *f)
{
    char buf[64];
    struct request *list;

    while (read(f->pipe[0], buf, sizeof buf) > 0)
        ;
    pthread_mutex_lock(&f->mu);
    list = f->done;
    f->done = NULL;
    f->done_tail = &f->done;
    pthread_mutex_unlock(&f->mu);
    while (list) {
        struct request *r = list;
        struct chat_fetch_result res = {
            .body = r->answered && r->resp.status == 200 ? r->resp.body : NULL,
            .status = r->answered ? r->resp.status : 0,
            .error = r->error,
            .arg = r->arg,
        };
        list = r->next;
        f->busy--;
        if (r->done)
            r->done(r->ud, &res);
        request_free(r);
    }
}

size_t chat_fetch_busy(const struct chat_fetch *f)
{
    return f->busy;
}
