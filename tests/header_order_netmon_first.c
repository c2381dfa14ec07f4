/* Half of test_header_include_order: <netmon.h> before the project's header. */
#include <windows.h>
#include <stddef.h>
#include <netmon.h>
#include "nmapi.h"

size_t layout_seen_with_netmon_first(size_t which)
{
    const size_t sizes[] = { sizeof(EXPERTHOSTKEYINFO), sizeof(EXPERTHOSTMEMORYSTATS),
                             sizeof(EXPERTSTATUS), sizeof(EXPERTSTARTUPINFO),
                             offsetof(EXPERTHOSTKEYINFO, MemoryLimit),
                             offsetof(EXPERTHOSTMEMORYSTATS, TotalAllocations) };
    return which < sizeof sizes / sizeof sizes[0] ? sizes[which] : 0;
}
