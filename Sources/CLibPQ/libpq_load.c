#include "CLibPQ.h"

#include <dlfcn.h>
#include <pthread.h>
#include <stddef.h>
#include <stdio.h>

static LibPQ functions;
static const LibPQ *loaded;
static const char *load_error;
static pthread_once_t once = PTHREAD_ONCE_INIT;

// dlerror's text lives in a thread-local buffer that the next dl call overwrites; copy it for every thread.
static char error_text[512];

static void keep_error(void) {
    const char *message = dlerror();
    snprintf(error_text, sizeof error_text, "%s", message ? message : "unknown dynamic loader error");
    load_error = error_text;
}

static void load(void) {
    // RTLD_LOCAL: libpq's dependencies (OpenSSL among them) stay out of the global symbol namespace.
    void *library = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (library == NULL) {
        keep_error();
        return;
    }
#define RESOLVE(name)                                      \
    if ((*(void **)&functions.name = dlsym(library, #name)) == NULL) { \
        keep_error();                                      \
        return;                                            \
    }
    RESOLVE(PQconnectdb)
    RESOLVE(PQfinish)
    RESOLVE(PQstatus)
    RESOLVE(PQtransactionStatus)
    RESOLVE(PQerrorMessage)
    RESOLVE(PQsetNoticeProcessor)
    RESOLVE(PQexec)
    RESOLVE(PQprepare)
    RESOLVE(PQexecPrepared)
    RESOLVE(PQexecParams)
    RESOLVE(PQresultStatus)
    RESOLVE(PQresultErrorField)
    RESOLVE(PQresultErrorMessage)
    RESOLVE(PQntuples)
    RESOLVE(PQgetvalue)
    RESOLVE(PQgetlength)
    RESOLVE(PQgetisnull)
    RESOLVE(PQcmdTuples)
    RESOLVE(PQclear)
    RESOLVE(PQenterPipelineMode)
    RESOLVE(PQexitPipelineMode)
    RESOLVE(PQpipelineSync)
    RESOLVE(PQsendQueryPrepared)
    RESOLVE(PQgetResult)
#undef RESOLVE
    loaded = &functions;
}

const LibPQ *libpq_load(const char **error) {
    pthread_once(&once, load);
    *error = load_error;
    return loaded;
}
