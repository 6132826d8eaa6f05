#ifndef CLIBPQ_H
#define CLIBPQ_H

// Debian's libpq-fe.h (libpq-dev) for the types; <postgresql/...> finds it without an include flag, and its
// own "postgres_ext.h" is found beside it.
#include <postgresql/libpq-fe.h>

/// The libpq functions PostgresDB calls, resolved from libpq.so.5 at first use rather than linked: a linked
/// libpq (and the 21 libraries it pulls in: OpenSSL, Kerberos, LDAP, GnuTLS) would be mapped at every start
/// of crmctl, SQLite or not. Each field has the type of the libpq function of the same name.
typedef struct LibPQ {
    __typeof__(PQconnectdb) *_Nonnull PQconnectdb;
    __typeof__(PQfinish) *_Nonnull PQfinish;
    __typeof__(PQstatus) *_Nonnull PQstatus;
    __typeof__(PQtransactionStatus) *_Nonnull PQtransactionStatus;
    __typeof__(PQerrorMessage) *_Nonnull PQerrorMessage;
    __typeof__(PQsetNoticeProcessor) *_Nonnull PQsetNoticeProcessor;
    __typeof__(PQexec) *_Nonnull PQexec;
    __typeof__(PQprepare) *_Nonnull PQprepare;
    __typeof__(PQexecPrepared) *_Nonnull PQexecPrepared;
    __typeof__(PQexecParams) *_Nonnull PQexecParams;
    __typeof__(PQresultStatus) *_Nonnull PQresultStatus;
    __typeof__(PQresultErrorField) *_Nonnull PQresultErrorField;
    __typeof__(PQresultErrorMessage) *_Nonnull PQresultErrorMessage;
    __typeof__(PQntuples) *_Nonnull PQntuples;
    __typeof__(PQgetvalue) *_Nonnull PQgetvalue;
    __typeof__(PQgetlength) *_Nonnull PQgetlength;
    __typeof__(PQgetisnull) *_Nonnull PQgetisnull;
    __typeof__(PQcmdTuples) *_Nonnull PQcmdTuples;
    __typeof__(PQclear) *_Nonnull PQclear;
    // Pipeline mode (libpq 14 and newer).
    __typeof__(PQenterPipelineMode) *_Nonnull PQenterPipelineMode;
    __typeof__(PQexitPipelineMode) *_Nonnull PQexitPipelineMode;
    __typeof__(PQpipelineSync) *_Nonnull PQpipelineSync;
    __typeof__(PQsendQueryPrepared) *_Nonnull PQsendQueryPrepared;
    __typeof__(PQgetResult) *_Nonnull PQgetResult;
} LibPQ;

/// The error fields PostgresDB reads: libpq defines them as character-literal macros, which Swift does not import.
static const int LIBPQ_DIAG_SQLSTATE = PG_DIAG_SQLSTATE;
static const int LIBPQ_DIAG_MESSAGE_PRIMARY = PG_DIAG_MESSAGE_PRIMARY;

/// The functions, loaded once per process (thread-safe), or NULL when libpq.so.5 or one of its functions
/// is missing; then `*error` is the dynamic loader's message.
const LibPQ *_Nullable libpq_load(const char *_Nullable *_Nonnull error);

#endif
