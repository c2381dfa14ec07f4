# The linker options that route the core's memory seams - a key's page arena
# (src/core/pages.h), a key's records (src/core/records.h) and the DLL's other records
# (plat_zalloc, src/platform/platform.h) - through tests/support/fault_seam.c (--wrap). Used
# by the white-box tests on Windows (tests/fault/) and natively (tests/native/).
set(NMAPI_FAULT_WRAP_FLAGS
  "LINKER:--wrap=pages_create,--wrap=pages_destroy,--wrap=pages_alloc"
  "LINKER:--wrap=pages_resize,--wrap=pages_free,--wrap=plat_zalloc,--wrap=plat_free"
  "LINKER:--wrap=records_alloc,--wrap=records_free,--wrap=records_release")
