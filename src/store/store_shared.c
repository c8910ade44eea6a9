/* Customer records shared by reference (store_get_customer_shared) and the
 * memos kept with them. A record is immutable once handed out, so holders
 * read it without a lock; the last release frees it with its memos. */
#include <stdlib.h>
#include <string.h>

#include "common/xalloc.h"
#include "store/store_impl.h"

struct store_memo_text {
    size_t len;
    char *text;
};

struct store_customer *store_customer_new(void)
{
    struct store_customer *sc = xcalloc(1, sizeof *sc);
    sc->refs = 1;
    return sc;
}

struct store_customer *store_customer_hold(struct store_customer *sc)
{
    __atomic_add_fetch(&sc->refs, 1, __ATOMIC_RELAXED);
    return sc;
}

void store_customer_release(const struct store_customer *csc)
{
    /* the holders' view is const; the record itself is the store's */
    struct store_customer *sc = (struct store_customer *)csc;
    if (!sc || __atomic_sub_fetch(&sc->refs, 1, __ATOMIC_ACQ_REL) != 0)
        return;
    for (int i = 0; i < STORE_MEMO_N; i++)
        if (sc->memo[i]) {
            free(sc->memo[i]->text);
            free(sc->memo[i]);
        }
    customer_free(&sc->c);
    free(sc);
}

const char *store_customer_memo(const struct store_customer *sc, enum store_memo kind, size_t *len)
{
    struct store_memo_text *m = __atomic_load_n(&sc->memo[kind], __ATOMIC_ACQUIRE);
    if (!m)
        return NULL;
    *len = m->len;
    return m->text;
}

const char *store_customer_memo_set(const struct store_customer *csc, enum store_memo kind,
                                    char *text, size_t *len)
{
    struct store_customer *sc = (struct store_customer *)csc;
    struct store_memo_text *m = xmalloc(sizeof *m), *cur = NULL;
    m->len = *len;
    m->text = text;
    if (__atomic_compare_exchange_n(&sc->memo[kind], &cur, m, false, __ATOMIC_ACQ_REL,
                                    __ATOMIC_ACQUIRE))
        return text;
    /* another thread's, equal to ours: ours goes */
    free(text);
    free(m);
    *len = cur->len;
    return cur->text;
}

int store_get_customer_shared(struct store *st, const char *id, const struct store_customer **out,
                              struct sb_err *err)
{
    struct store_customer *sc = NULL;
    int rc;
    if (st->ops->get_customer_shared) {
        rc = st->ops->get_customer_shared(st, id, &sc, err);
    } else {
        sc = store_customer_new();
        rc = st->ops->get_customer(st, id, &sc->c, err);
        if (rc != SB_OK) {
            store_customer_release(sc);
            sc = NULL;
        }
    }
    *out = rc == SB_OK ? sc : NULL;
    return rc;
}
