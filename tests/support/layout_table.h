/*
 * layout_table.h - the binary layout of every structure nmapi.dll shares with experts and hosts,
 * written out per architecture. test_struct_layout compares it with what the compiler gives
 * through the project's header and through <netmon.h> alone.
 *
 * Each table is an X-macro over two row kinds:
 *   STRUCT(type,         i686 sizeof, i686 alignof,  x86_64 sizeof, x86_64 alignof)
 *   MEMBER(type, member, i686 offset, i686 size,     x86_64 offset, x86_64 size)
 * A member may be nested (sBitfield.bOn). A zero-length trailing array has size 0.
 *
 * Where the numbers come from: mingw-w64's <netmon.h> (the ABI reference) declares the expert
 * structures under `#ifdef _X86_ #pragma pack(1)`, so on i686 they are byte-packed (alignment
 * 1: EXPERTSTARTUPINFO.sBitfield.bOn sits at 281, one byte after BitNumber, and the structure
 * is 285 bytes; natural alignment would give 284 and 288) and naturally aligned on x86_64.
 * NMEVENTDATA and its column types are declared under `#pragma pack(push,8)`: naturally
 * aligned on both architectures, also on i686.
 */
#ifndef LAYOUT_TABLE_H
#define LAYOUT_TABLE_H

#ifdef _WIN64
#define LAYOUT_THIS_ARCH(i686, x86_64) (x86_64)
#define LAYOUT_ARCH_NAME "x86_64"
#else
#define LAYOUT_THIS_ARCH(i686, x86_64) (i686)
#define LAYOUT_ARCH_NAME "i686"
#endif

/* The structures of <netmon.h> that cross the DLL boundary. */
#define NETMON_LAYOUT(STRUCT, MEMBER)                                                      \
    STRUCT(EXPERTENUMINFO,                          1068, 1,      1088, 8)                \
    MEMBER(EXPERTENUMINFO, szName,                     0, 260,       0, 260)              \
    MEMBER(EXPERTENUMINFO, szVendor,                 260, 260,     260, 260)              \
    MEMBER(EXPERTENUMINFO, szDescription,            520, 260,     520, 260)              \
    MEMBER(EXPERTENUMINFO, Version,                  780, 4,       780, 4)                \
    MEMBER(EXPERTENUMINFO, Flags,                    784, 4,       784, 4)                \
    MEMBER(EXPERTENUMINFO, szDllName,                788, 260,     788, 260)              \
    MEMBER(EXPERTENUMINFO, hExpert,                 1048, 4,      1048, 8)                \
    MEMBER(EXPERTENUMINFO, hModule,                 1052, 4,      1056, 8)                \
    MEMBER(EXPERTENUMINFO, pRegisterProc,           1056, 4,      1064, 8)                \
    MEMBER(EXPERTENUMINFO, pConfigProc,             1060, 4,      1072, 8)                \
    MEMBER(EXPERTENUMINFO, pRunProc,                1064, 4,      1080, 8)                \
                                                                                          \
    STRUCT(EXPERTSTARTUPINFO,                        285, 1,       304, 8)                \
    MEMBER(EXPERTSTARTUPINFO, Flags,                   0, 4,         0, 4)                \
    MEMBER(EXPERTSTARTUPINFO, hCapture,                4, 4,         8, 8)                \
    MEMBER(EXPERTSTARTUPINFO, szCaptureFile,           8, 260,      16, 260)              \
    MEMBER(EXPERTSTARTUPINFO, dwFrameNumber,         268, 4,       276, 4)                \
    MEMBER(EXPERTSTARTUPINFO, hProtocol,             272, 4,       280, 8)                \
    MEMBER(EXPERTSTARTUPINFO, lpPropertyInst,        276, 4,       288, 8)                \
    MEMBER(EXPERTSTARTUPINFO, sBitfield,             280, 5,       296, 8)                \
    MEMBER(EXPERTSTARTUPINFO, sBitfield.BitNumber,   280, 1,       296, 1)                \
    MEMBER(EXPERTSTARTUPINFO, sBitfield.bOn,         281, 4,       300, 4)                \
                                                                                          \
    STRUCT(EXPERTCONFIG,                               4, 1,         4, 4)                \
    MEMBER(EXPERTCONFIG, RawConfigLength,              0, 4,         0, 4)                \
    MEMBER(EXPERTCONFIG, RawConfigData,                4, 0,         4, 0)                \
                                                                                          \
    STRUCT(EXPERTSTATUS,                             276, 1,       276, 4)                \
    MEMBER(EXPERTSTATUS, Status,                       0, 4,         0, 4)                \
    MEMBER(EXPERTSTATUS, SubStatus,                    4, 4,         4, 4)                \
    MEMBER(EXPERTSTATUS, PercentDone,                  8, 4,         8, 4)                \
    MEMBER(EXPERTSTATUS, Frame,                       12, 4,        12, 4)                \
    MEMBER(EXPERTSTATUS, szStatusText,                16, 260,      16, 260)              \
                                                                                          \
    STRUCT(EXPERTFRAMEDESCRIPTOR,                     20, 1,        40, 8)                \
    MEMBER(EXPERTFRAMEDESCRIPTOR, FrameNumber,         0, 4,         0, 4)                \
    MEMBER(EXPERTFRAMEDESCRIPTOR, hFrame,              4, 4,         8, 8)                \
    MEMBER(EXPERTFRAMEDESCRIPTOR, pFrame,              8, 4,        16, 8)                \
    MEMBER(EXPERTFRAMEDESCRIPTOR, lpRecognizeDataTable, 12, 4,      24, 8)                \
    MEMBER(EXPERTFRAMEDESCRIPTOR, lpPropertyTable,    16, 4,        32, 8)                \
                                                                                          \
    STRUCT(NMEVENTDATA,                               64, 8,        96, 8)                \
    MEMBER(NMEVENTDATA, pszReserved,                   0, 4,         0, 8)                \
    MEMBER(NMEVENTDATA, Version,                       4, 1,         8, 1)                \
    MEMBER(NMEVENTDATA, EventIdent,                    8, 4,        12, 4)                \
    MEMBER(NMEVENTDATA, Flags,                        12, 4,        16, 4)                \
    MEMBER(NMEVENTDATA, Severity,                     16, 4,        20, 4)                \
    MEMBER(NMEVENTDATA, NumColumns,                   20, 1,        24, 1)                \
    MEMBER(NMEVENTDATA, szSourceName,                 24, 4,        32, 8)                \
    MEMBER(NMEVENTDATA, szEventName,                  28, 4,        40, 8)                \
    MEMBER(NMEVENTDATA, szDescription,                32, 4,        48, 8)                \
    MEMBER(NMEVENTDATA, szMachine,                    36, 4,        56, 8)                \
    MEMBER(NMEVENTDATA, Justification,                40, 4,        64, 8)                \
    MEMBER(NMEVENTDATA, pvReserved,                   44, 4,        72, 8)                \
    MEMBER(NMEVENTDATA, SysTime,                      48, 16,       80, 16)               \
    MEMBER(NMEVENTDATA, Column,                       64, 0,        96, 0)                \
                                                                                          \
    STRUCT(NMCOLUMNINFO,                              32, 8,        32, 8)                \
    MEMBER(NMCOLUMNINFO, szColumnName,                 0, 4,         0, 8)                \
    MEMBER(NMCOLUMNINFO, VariantData,                  8, 24,        8, 24)               \
                                                                                          \
    STRUCT(NMCOLUMNVARIANT,                           24, 8,        24, 8)                \
    MEMBER(NMCOLUMNVARIANT, Type,                      0, 4,         0, 4)                \
    MEMBER(NMCOLUMNVARIANT, Value,                     8, 16,        8, 16)

/* The project's own host structures (include/nmapi.h): naturally aligned on both
 * architectures; <netmon.h>'s packing must not leak into them. A new member gets its row here. */
#define HOST_LAYOUT(STRUCT, MEMBER)                                                        \
    STRUCT(EXPERTHOSTKEYINFO,                         36, 4,        64, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, cbSize,                  0, 4,         0, 4)                \
    MEMBER(EXPERTHOSTKEYINFO, Flags,                   4, 4,         4, 4)                \
    MEMBER(EXPERTHOSTKEYINFO, MemoryLimit,             8, 4,         8, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, szDisplayName,          12, 4,        16, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, pStartupInfo,           16, 4,        24, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, CallbackContext,        20, 4,        32, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, pfnStatusChanged,       24, 4,        40, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, pfnSubmitEvent,         28, 4,        48, 8)                \
    MEMBER(EXPERTHOSTKEYINFO, pfnGetFrame,            32, 4,        56, 8)                \
                                                                                          \
    STRUCT(EXPERTHOSTMEMORYSTATS,                     56, 8,        72, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, cbSize,              0, 4,         0, 4)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, Reserved,            4, 4,         4, 4)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, LiveBlocks,          8, 4,         8, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, LiveBytes,          12, 4,        16, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, PeakBytes,          16, 4,        24, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, MemoryLimit,        20, 4,        32, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, TotalAllocations,   24, 8,        40, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, FailedAllocations,  32, 8,        48, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, OverrunsDetected,   40, 8,        56, 8)                \
    MEMBER(EXPERTHOSTMEMORYSTATS, WritesAfterFreeDetected, 48, 8,   64, 8)

/* One row as a compiler saw it (actual) next to the table's number for this architecture. */
struct layout_row {
    const char *type;
    const char *member;        /* NULL for the STRUCT row: size and alignment of the whole */
    unsigned long actual_offset;    /* STRUCT row: sizeof */
    unsigned long actual_size;      /* STRUCT row: alignof */
    unsigned long expected_offset;
    unsigned long expected_size;
};

#define LAYOUT_STRUCT_ROW(T, size32, align32, size64, align64)                              \
    { #T, NULL, sizeof(T), _Alignof(T),                                                   \
      LAYOUT_THIS_ARCH(size32, size64), LAYOUT_THIS_ARCH(align32, align64) },
#define LAYOUT_MEMBER_ROW(T, m, off32, size32, off64, size64)                               \
    { #T, #m, offsetof(T, m), sizeof(((T *)0)->m),                                        \
      LAYOUT_THIS_ARCH(off32, off64), LAYOUT_THIS_ARCH(size32, size64) },

#endif
