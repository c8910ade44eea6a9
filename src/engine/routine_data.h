/* data/engine/routines.txt, embedded as a string by the build (see
 * src/engine/local.mk). */
#ifndef SB_ENGINE_ROUTINE_DATA_H
#define SB_ENGINE_ROUTINE_DATA_H

extern const char engine_data_routines[];

#endif
