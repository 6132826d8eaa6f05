#include <sqlite3.h>

/// sqlite3_config takes variable arguments, which Swift cannot pass. Without memory statistics SQLite's
/// allocator takes no global mutex: an ingest called it 140 times per event (3 % of its instructions), for
/// figures crmctl never reads. Only before SQLite initializes (the first open); later it returns SQLITE_MISUSE.
static inline int crmctl_sqlite3_config_no_memory_statistics(void) {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}
