#ifndef CSCHEMA_H
#define CSCHEMA_H

/// The text of schema.sql (NUL-terminated), the one definition of crmctl's SQLite database.
const char *crm_schema_sql(void);

/// The text of schema.postgres.sql (NUL-terminated): the same database on PostgreSQL.
const char *crm_schema_postgres_sql(void);

#endif
