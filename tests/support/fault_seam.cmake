# The linker options that route the core's two memory seams - the private heap and the record
# allocator of src/platform/platform.h - through tests/support/fault_seam.c (--wrap). Used by
# the white-box tests on Windows (tests/fault/) and natively (tests/native/).
set(NMAPI_FAULT_WRAP_FLAGS
  "LINKER:--wrap=heap_prim_create,--wrap=heap_prim_destroy,--wrap=heap_prim_alloc"
  "LINKER:--wrap=heap_prim_realloc,--wrap=heap_prim_free,--wrap=plat_zalloc,--wrap=plat_free")
