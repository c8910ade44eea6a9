/* /edit: the message in $VISUAL or $EDITOR (default vi). The screen is
 * handed to the editor and taken back; what was written comes back into the
 * input line, to be sent with Enter. While the editor runs the chat's loop
 * waits (the terminal is the editor's); a connection that drops meanwhile
 * reconnects afterwards. */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "client/chat_tui.h"
#include "common/xalloc.h"

/* More than a message holds, so that one too long is refused with its size */
#define EDIT_READ_MAX (1 << 20)

/* Runs $SB_EDITOR on path with the terminal to itself; its wait status or -1. */
static int run_editor(struct chat_tui *ct, const char *path)
{
    struct sigaction ign, old_int, old_quit;
    int status = -1;
    pid_t pid;

    /* as system(3): the editor gets Ctrl-C, the chat does not */
    memset(&ign, 0, sizeof ign);
    ign.sa_handler = SIG_IGN;
    sigemptyset(&ign.sa_mask);
    sigaction(SIGINT, &ign, &old_int);
    sigaction(SIGQUIT, &ign, &old_quit);
    tui_suspend(ct->t);
    pid = fork();
    if (pid == 0) {
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        /* the editor's value may carry arguments ("code -w"): the shell splits it */
        execl("/bin/sh", "sh", "-c", "exec $SB_EDITOR \"$1\"", "sh", path, (char *)NULL);
        _exit(127);
    }
    if (pid > 0)
        while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
            ;
    tui_resume(ct->t);
    sigaction(SIGINT, &old_int, NULL);
    sigaction(SIGQUIT, &old_quit, NULL);
    return pid < 0 ? -1 : status;
}

/* The file's text without its trailing newlines; NULL when unreadable. */
static char *read_back(const char *path, size_t max)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    char *buf = xmalloc(max + 2);
    size_t n = fread(buf, 1, max + 1, f);
    fclose(f);
    while (n && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    buf[n] = '\0';
    return buf;
}

void chat_edit(struct chat_tui *ct, const char *initial)
{
    const char *tmp = getenv("TMPDIR"), *editor = getenv("VISUAL");
    char path[1024], line[200];
    char *text = NULL;
    int fd = -1, status;

    snprintf(path, sizeof path, "%s/servicebot-message-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    fd = mkstemp(path);

    if (fd < 0 || (*initial && write(fd, initial, strlen(initial)) < 0)) {
        snprintf(line, sizeof line, "Cannot make a file to edit: %s", strerror(errno));
        chat_tui_error(ct, line);
        if (fd >= 0) {
            close(fd);
            unlink(path);
        }
        return;
    }
    close(fd);
    if (!editor || !*editor)
        editor = getenv("EDITOR");
    setenv("SB_EDITOR", editor && *editor ? editor : "vi", 1);
    status = run_editor(ct, path);
    unsetenv("SB_EDITOR");
    chat_tui_dirty_all(ct);
    if (status < 0 || !WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        char why[80];
        if (status < 0)
            snprintf(why, sizeof why, "%s", strerror(errno));
        else if (WIFEXITED(status) && WEXITSTATUS(status) == 127)
            snprintf(why, sizeof why, "it was not found: set VISUAL or EDITOR");
        else if (WIFEXITED(status))
            snprintf(why, sizeof why, "exit status %d", WEXITSTATUS(status));
        else
            snprintf(why, sizeof why, "killed by signal %d", WTERMSIG(status));
        snprintf(line, sizeof line, "The editor did not finish (%s); nothing was put in the line.",
                 why);
        chat_tui_error(ct, line);
    } else if (!(text = read_back(path, EDIT_READ_MAX)) || !*text) {
        chat_tui_note(ct, "The message is empty; nothing to send.");
    } else {
        tui_input_set_line(ct->in, text); /* Enter sends it */
    }
    free(text);
    unlink(path);
    tui_input_redraw(ct->in);
}
