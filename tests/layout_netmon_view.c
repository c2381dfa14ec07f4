/* Half of test_struct_layout: the structures as an expert compiled against <netmon.h> alone
 * sees them, without the project's header. */
#include <windows.h>
#include <stddef.h>
#include <netmon.h>
#include "layout_table.h"

#ifdef NMAPI_H
#error "this view must not see nmapi.h"
#endif

const struct layout_row netmon_view_rows[] = {
    NETMON_LAYOUT(LAYOUT_STRUCT_ROW, LAYOUT_MEMBER_ROW)
};
const size_t netmon_view_count = sizeof netmon_view_rows / sizeof netmon_view_rows[0];
