#include "CSchema.h"

// #embed compiles the schema files from the repository root in, so each stays the single schema of its
// database: no copy to drift.
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char schema[] = {
#embed "../../schema.sql"
    , 0
};

static const char schema_postgres[] = {
#embed "../../schema.postgres.sql"
    , 0
};

const char *crm_schema_sql(void) { return schema; }

const char *crm_schema_postgres_sql(void) { return schema_postgres; }
