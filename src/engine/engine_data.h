/* The data files under data/engine/, embedded as strings by the build
 * (see src/engine/local.mk), so the engine needs no files at run time. */
#ifndef SB_ENGINE_DATA_H
#define SB_ENGINE_DATA_H

extern const char engine_data_lexicon[];
extern const char engine_data_replies[];

#endif
