#ifndef CSCHEMA_H
#define CSCHEMA_H

/// The text of schema.sql (NUL-terminated), the one definition of crmctl's database.
const char *crm_schema_sql(void);

#endif
