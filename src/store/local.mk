# src/store: the storage interface and its backends.
noinst_LIBRARIES += libsbstore.a
libsbstore_a_SOURCES = \
	src/store/store.c src/store/store.h src/store/store_impl.h src/store/store_cache.c \
	src/store/store_shared.c \
	src/store/store_sqlite.c src/store/sqlite_log.c src/store/sqlite_messages.c src/store/sqlite_impl.h \
	src/store/sqlite_exchange.c src/store/sqlite_tokens.c src/store/sqlite_usage.c \
	src/store/sqlite_rowcache.c src/store/sqlite_rowcache.h src/store/sqlite_customer.c \
	src/store/sqlite_wal.c src/store/sqlite_wal.h \
	src/store/sqlite_schema.c src/store/sqlite_schema.h src/store/sqlite_file.c src/store/sqlite_stamp.c \
	src/store/store_dynamodb.c src/store/store_dynamodb_impl.h src/store/store_dynamodb_http.c \
	src/store/store_dynamodb_av.c src/store/store_dynamodb_req.c src/store/store_dynamodb_tables.c \
	src/store/store_dynamodb_levels.c src/store/store_dynamodb_msg.c src/store/store_dynamodb_conn.c \
	src/store/store_dynamodb_notice.c src/store/store_dynamodb_exchange.c \
	src/store/store_dynamodb_tokens.c
libsbstore_a_CFLAGS = $(AM_CFLAGS) $(SQLITE_CFLAGS) $(CURL_CFLAGS)
STORE_LIBS = libsbstore.a $(SQLITE_LIBS) $(CURL_LIBS) $(COMMON_LIBS)

# fsyncs per chat exchange under load (bench/README.md).
EXTRA_DIST += bench/fsync.sh
bench-fsync: servicebotd
	SB_BUILDDIR='$(abs_top_builddir)' SB_SRCDIR='$(abs_top_srcdir)' \
		$(SHELL) $(top_srcdir)/bench/fsync.sh
.PHONY: bench-fsync
