/* Placed first on the include path of src/core/ (src/CMakeLists.txt): the core is
 * platform-neutral C and reaches the OS only through src/platform/platform.h. */
#error "src/core/ must not include <windows.h>: use src/platform/platform.h"
