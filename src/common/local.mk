# src/common: shared by servicebotd and servicebot.
noinst_LIBRARIES += libsbcommon.a
libsbcommon_a_SOURCES = \
	src/common/err.c src/common/err.h \
	src/common/model.c src/common/model_json.c src/common/model.h \
	src/common/model_routine.c src/common/tz.c src/common/tz.h \
	src/common/routine_time.c src/common/routine_time.h \
	src/common/dataset.c \
	src/common/jsonx.c src/common/jsonx_write.c src/common/jsonx.h \
	src/common/log.c src/common/log.h \
	src/common/config.c src/common/config.h \
	src/common/util.c src/common/util.h \
	src/common/utf8.c src/common/utf8.h \
	src/common/validate.c src/common/validate.h \
	src/common/xalloc.c src/common/xalloc.h
COMMON_LIBS = libsbcommon.a $(JSONC_LIBS)
# Device types (data/engine/types.txt) become one C table, so the server,
# the client and the engine's parser read the same list.
nodist_libsbcommon_a_SOURCES = src/common/model_types.c
CLEANFILES += src/common/model_types.c
src/common/model_types.c: $(top_srcdir)/data/engine/types.txt
	$(AM_V_GEN)$(MKDIR_P) src/common && $(AWK) -f $(top_srcdir)/src/common/types.awk \
	  $(top_srcdir)/data/engine/types.txt > $@-t && mv $@-t $@
EXTRA_DIST += src/common/types.awk
