#include "CSchema.h"

// #embed compiles schema.sql from the repository root in, so it stays the single schema: no copy to drift.
#pragma clang diagnostic ignored "-Wc23-extensions"
static const char schema[] = {
#embed "../../schema.sql"
    , 0
};

const char *crm_schema_sql(void) { return schema; }
