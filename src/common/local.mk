# src/common: shared by servicebotd and servicebot.
noinst_LIBRARIES += libsbcommon.a
libsbcommon_a_SOURCES = \
	src/common/err.c src/common/err.h \
	src/common/model.c src/common/model_json.c src/common/model.h \
	src/common/model_routine.c src/common/tz.c src/common/tz.h \
	src/common/routine_time.c src/common/routine_time.h \
	src/common/dataset.c \
	src/common/jsonx.c src/common/jsonx.h \
	src/common/log.c src/common/log.h \
	src/common/config.c src/common/config.h \
	src/common/util.c src/common/util.h \
	src/common/utf8.c src/common/utf8.h
COMMON_LIBS = libsbcommon.a $(JSONC_LIBS)
