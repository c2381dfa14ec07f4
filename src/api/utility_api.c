/*
 * utility_api.c - the helpers of Nmapi.dll that need no capture and no key: address text and
 * order (AddressToString, StringToAddress, CompareAddresses, MacTypeToAddressType), labeled-set
 * look-ups, VarLenSmallIntToDword, the BER readers and BuildINIPath. Each is the runtime's own
 * implementation of an export marked "native" in surface/exports.tsv, defined with exactly the
 * prototype <netmon.h> gives it (NATIVE_AGREES).
 *
 * The reference pages give prototypes and success/failure values and little else; where they
 * are silent this file decides, and include/nmapi.h says what was decided. The rules that hold
 * throughout:
 *   - every argument is checked before anything is written, and a refused call writes nothing:
 *     results are built in locals and stored last;
 *   - nothing is read that the contract does not name: an address is its Type and the bytes of
 *     that type (so a 16-byte ADDRESS serves as well as an ADDRESS2), a BER element is its
 *     header octets, each read only once the octet before it says it is there;
 *   - no state, no lock, no allocation: every function is thread-safe, BuildINIPath included
 *     (it only asks the loader where this DLL is).
 *
 * An address, as the BYTE * of AddressToString/StringToAddress and the LPADDRESS2 of
 * CompareAddresses point at it: a DWORD Type at offset 0, then the address bytes (the union of
 * ADDRESS2, offset 4 in the byte-packed structure), then Flags, which none of these reads.
 */
#include "native.h"

#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* --- Addresses --------------------------------------------------------------------------------- */

enum address_form { FORM_NONE, FORM_MAC, FORM_IP, FORM_IPX, FORM_VINES, FORM_IP6 };

struct address_kind {
    unsigned char length;       /* address bytes after Type */
    unsigned char form;         /* enum address_form; FORM_NONE: no address (a filter's wildcard) */
};

/* Indexed by ADDRESS_TYPE_*. ATM and 1394 carry a MAC-style 6-byte station address: the union
 * of ADDRESS2 has no other member for them, and MacTypeToAddressType maps their MAC types here. */
static const struct address_kind address_kinds[] = {
    [ADDRESS_TYPE_ETHERNET]     = { MAC_ADDRESS_SIZE, FORM_MAC },
    [ADDRESS_TYPE_IP]           = { IP_ADDRESS_SIZE, FORM_IP },
    [ADDRESS_TYPE_IPX]          = { sizeof(IPX_ADDR), FORM_IPX },
    [ADDRESS_TYPE_TOKENRING]    = { MAC_ADDRESS_SIZE, FORM_MAC },
    [ADDRESS_TYPE_FDDI]         = { MAC_ADDRESS_SIZE, FORM_MAC },
    [ADDRESS_TYPE_XNS]          = { sizeof(IPX_ADDR), FORM_IPX },
    [ADDRESS_TYPE_ANY]          = { 0, FORM_NONE },
    [ADDRESS_TYPE_ANY_GROUP]    = { 0, FORM_NONE },
    [ADDRESS_TYPE_FIND_HIGHEST] = { 0, FORM_NONE },
    [ADDRESS_TYPE_VINES_IP]     = { sizeof(VINES_IP_ADDRESS), FORM_VINES },
    [ADDRESS_TYPE_LOCAL_ONLY]   = { 0, FORM_NONE },
    [ADDRESS_TYPE_ATM]          = { MAC_ADDRESS_SIZE, FORM_MAC },
    [ADDRESS_TYPE_1394]         = { MAC_ADDRESS_SIZE, FORM_MAC },
    [ADDRESS_TYPE_IP6]          = { IP6_ADDRESS_SIZE, FORM_IP6 },
};
#define ADDRESS_KINDS (sizeof address_kinds / sizeof *address_kinds)
#define ADDRESS_BYTES_AT offsetof(ADDRESS2, IPAddress)

_Static_assert(ADDRESS_BYTES_AT == 4, "the address bytes follow the DWORD Type");
_Static_assert(sizeof(IPX_ADDR) == 10 && sizeof(VINES_IP_ADDRESS) == 6,
               "IPX and VINES addresses are byte-packed");

static DWORD address_type(const BYTE *address)
{
    DWORD type;
    memcpy(&type, address, sizeof type);    /* BYTE *: no alignment promised */
    return type;
}

/* The kind of a type that has address bytes, or NULL. */
static const struct address_kind *address_kind(DWORD type)
{
    if (type >= ADDRESS_KINDS || address_kinds[type].form == FORM_NONE)
        return NULL;
    return &address_kinds[type];
}

static char *put_hex_bytes(char *out, const BYTE *b, size_t n)
{
    static const char digits[] = "0123456789ABCDEF";
    for (size_t i = 0; i < n; i++) {
        *out++ = digits[b[i] >> 4];
        *out++ = digits[b[i] & 15];
    }
    return out;
}

static char *put_decimal(char *out, unsigned v)
{
    if (v >= 100)
        *out++ = (char)('0' + v / 100);
    if (v >= 10)
        *out++ = (char)('0' + v / 10 % 10);
    *out++ = (char)('0' + v % 10);
    return out;
}

static char *put_ip4(char *out, const BYTE *b)
{
    for (int i = 0; i < 4; i++) {
        if (i)
            *out++ = '.';
        out = put_decimal(out, b[i]);
    }
    return out;
}

/* RFC 5952: lowercase, no leading zeros, the longest run of two or more zero groups (the first
 * of equal runs) as "::", and an IPv4-mapped address (::ffff:0:0/96) with its IPv4 part dotted. */
static char *put_ip6(char *out, const BYTE *b)
{
    static const char digits[] = "0123456789abcdef";
    unsigned g[8];
    for (int i = 0; i < 8; i++)
        g[i] = (unsigned)b[2 * i] << 8 | b[2 * i + 1];
    int best = -1, best_len = 1;
    for (int i = 0; i < 8;) {
        int j = i;
        while (j < 8 && g[j] == 0)
            j++;
        if (j - i > best_len) {
            best = i;
            best_len = j - i;
        }
        i = j > i ? j : i + 1;
    }
    int mapped = best == 0 && best_len == 5 && g[5] == 0xffff;
    int groups = mapped ? 6 : 8;
    for (int i = 0; i < groups;) {
        if (i == best) {
            *out++ = ':';
            *out++ = ':';
            i += best_len;
            continue;
        }
        if (i > 0 && i != best + best_len)
            *out++ = ':';
        int shift = 12;
        while (shift > 0 && (g[i] >> shift) == 0)
            shift -= 4;
        for (; shift >= 0; shift -= 4)
            *out++ = digits[g[i] >> shift & 15];
        i++;
    }
    if (mapped) {
        *out++ = ':';
        out = put_ip4(out, b + 12);
    }
    return out;
}

LPSTR WINAPI NATIVE(AddressToString)(LPSTR string, BYTE *lpAddress)
{
    if (!string || !lpAddress)
        return NULL;
    const struct address_kind *kind = address_kind(address_type(lpAddress));
    if (!kind)
        return NULL;
    const BYTE *b = lpAddress + ADDRESS_BYTES_AT;
    char text[48];          /* the longest form is an IPv6 address: 39 characters */
    char *end = text;
    switch (kind->form) {
    case FORM_MAC:
        end = put_hex_bytes(end, b, MAC_ADDRESS_SIZE);
        break;
    case FORM_IP:
        end = put_ip4(end, b);
        break;
    case FORM_IPX:          /* network.node */
        end = put_hex_bytes(end, b, 4);
        *end++ = '.';
        end = put_hex_bytes(end, b + 4, MAC_ADDRESS_SIZE);
        break;
    case FORM_VINES:        /* network:subnetwork, the bytes as stored */
        end = put_hex_bytes(end, b, 4);
        *end++ = ':';
        end = put_hex_bytes(end, b + 4, 2);
        break;
    case FORM_IP6:
        end = put_ip6(end, b);
        break;
    }
    *end++ = '\0';
    memcpy(string, text, (size_t)(end - text));
    return string;
}

static int hex_value(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Exactly n bytes as 2n hex digits; returns the end, or NULL. */
static const char *parse_hex_bytes(const char *s, BYTE *out, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int hi = hex_value(s[0]), lo = hi < 0 ? -1 : hex_value(s[1]);
        if (lo < 0)
            return NULL;
        out[i] = (BYTE)(hi << 4 | lo);
        s += 2;
    }
    return s;
}

/* Six bytes: 12 hex digits, or six pairs all separated by '-' or all by ':'. */
static const char *parse_mac(const char *s, BYTE *out)
{
    if (hex_value(s[0]) >= 0 && hex_value(s[1]) >= 0 && (s[2] == '-' || s[2] == ':')) {
        char sep = s[2];
        for (int i = 0; i < MAC_ADDRESS_SIZE; i++) {
            if (i && *s++ != sep)
                return NULL;
            if (!(s = parse_hex_bytes(s, out + i, 1)))
                return NULL;
        }
        return s;
    }
    return parse_hex_bytes(s, out, MAC_ADDRESS_SIZE);
}

/* Dotted decimal: four parts of one to three digits, each at most 255 and without a leading
 * zero (which some parsers read as octal). Returns the end, or NULL. */
static const char *parse_ip4(const char *s, BYTE *out)
{
    for (int i = 0; i < 4; i++) {
        if (i && *s++ != '.')
            return NULL;
        unsigned v = 0;
        int digits = 0;
        while (s[digits] >= '0' && s[digits] <= '9' && digits < 4)
            v = v * 10 + (unsigned)(s[digits++] - '0');
        if (digits == 0 || digits > 3 || v > 255 || (digits > 1 && s[0] == '0'))
            return NULL;
        out[i] = (BYTE)v;
        s += digits;
    }
    return s;
}

/* RFC 4291 section 2.2: eight groups of one to four hex digits, one "::" standing for one or
 * more zero groups, and optionally the last 32 bits in dotted decimal. The whole string. */
static int parse_ip6(const char *s, BYTE *out)
{
    unsigned g[8];
    int n = 0, gap = -1;
    if (s[0] == ':') {
        if (s[1] != ':')
            return 0;
        gap = 0;
        s += 2;
    }
    while (*s) {
        const char *q = s;
        unsigned v = 0;
        while (hex_value(*q) >= 0 && q - s < 5)
            v = v << 4 | (unsigned)hex_value(*q++);
        if (*q == '.') {                    /* the dotted tail, two groups' worth */
            BYTE v4[4];
            if (n > 6 || !(q = parse_ip4(s, v4)) || *q)
                return 0;
            g[n++] = (unsigned)v4[0] << 8 | v4[1];
            g[n++] = (unsigned)v4[2] << 8 | v4[3];
            break;
        }
        if (q == s || q - s > 4 || n == 8)
            return 0;
        g[n++] = v;
        s = q;
        if (!*s)
            break;
        if (*s++ != ':' || !*s)             /* a separator, and not a trailing one */
            return 0;
        if (*s == ':') {
            if (gap >= 0)
                return 0;
            gap = n;
            s++;
        }
    }
    if (gap >= 0 ? n > 7 : n != 8)
        return 0;
    unsigned full[8] = { 0 };               /* the groups before the gap, zeros, the rest */
    int before = gap >= 0 ? gap : n;
    for (int i = 0; i < n; i++)
        full[i < before ? i : 8 - (n - i)] = g[i];
    for (int i = 0; i < 8; i++) {
        out[2 * i] = (BYTE)(full[i] >> 8);
        out[2 * i + 1] = (BYTE)full[i];
    }
    return 1;
}

LPBYTE WINAPI NATIVE(StringToAddress)(BYTE *lpAddress, LPSTR string)
{
    if (!lpAddress || !string)
        return NULL;
    const struct address_kind *kind = address_kind(address_type(lpAddress));
    if (!kind)
        return NULL;
    BYTE b[IP6_ADDRESS_SIZE];
    const char *end = NULL;
    switch (kind->form) {
    case FORM_MAC:
        end = parse_mac(string, b);
        break;
    case FORM_IP:
        end = parse_ip4(string, b);
        break;
    case FORM_IPX:
        end = parse_hex_bytes(string, b, 4);
        if (end && *end++ == '.')
            end = parse_mac(end, b + 4);
        else
            end = NULL;
        break;
    case FORM_VINES:
        end = parse_hex_bytes(string, b, 4);
        if (end && *end++ == ':')
            end = parse_hex_bytes(end, b + 4, 2);
        else
            end = NULL;
        break;
    case FORM_IP6:
        end = parse_ip6(string, b) ? "" : NULL;
        break;
    }
    if (!end || *end)
        return NULL;
    memcpy(lpAddress + ADDRESS_BYTES_AT, b, kind->length);
    return lpAddress;
}

int WINAPI NATIVE(CompareAddresses)(LPADDRESS2 lpAddress1, LPADDRESS2 lpAddress2)
{
    if (!lpAddress1 || !lpAddress2)
        return lpAddress1 ? 1 : lpAddress2 ? -1 : 0;   /* NULL first, then any address */
    DWORD t1 = address_type((const BYTE *)lpAddress1), t2 = address_type((const BYTE *)lpAddress2);
    if (t1 != t2)
        return t1 < t2 ? -1 : 1;
    /* A known type compares its own bytes; a type this runtime does not know, every byte of
     * the ADDRESS2 union. */
    size_t n = t1 < ADDRESS_KINDS ? address_kinds[t1].length : MAX_ADDRESS_SIZE;
    int c = memcmp((const BYTE *)lpAddress1 + ADDRESS_BYTES_AT,
                   (const BYTE *)lpAddress2 + ADDRESS_BYTES_AT, n);
    return (c > 0) - (c < 0);
}

DWORD WINAPI NATIVE(MacTypeToAddressType)(DWORD MacType)
{
    switch (MacType) {
    case MAC_TYPE_ETHERNET:  return ADDRESS_TYPE_ETHERNET;
    case MAC_TYPE_TOKENRING: return ADDRESS_TYPE_TOKENRING;
    case MAC_TYPE_FDDI:      return ADDRESS_TYPE_FDDI;
    case MAC_TYPE_ATM:       return ADDRESS_TYPE_ATM;
    case MAC_TYPE_1394:      return ADDRESS_TYPE_1394;
    default:                 return (DWORD)-1;
    }
}

NATIVE_AGREES(AddressToString);
NATIVE_AGREES(StringToAddress);
NATIVE_AGREES(CompareAddresses);
NATIVE_AGREES(MacTypeToAddressType);

/* --- Labeled sets ----------------------------------------------------------------------------
 * The table is walked in order and the first entry with the value wins, as the SDK's own
 * samples look labels up; entries are read with the stride <netmon.h> gives them (byte-packed
 * on i686). */

LPBYTE WINAPI NATIVE(LookupByteSetString)(LPSET lpSet, BYTE Value)
{
    if (!lpSet || !lpSet->lpLabeledByteTable)
        return NULL;
    for (DWORD i = 0; i < lpSet->nEntries; i++)
        if (lpSet->lpLabeledByteTable[i].Value == Value)
            return (LPBYTE)lpSet->lpLabeledByteTable[i].Label;
    return NULL;
}

LPBYTE WINAPI NATIVE(LookupWordSetString)(LPSET lpSet, WORD Value)
{
    if (!lpSet || !lpSet->lpLabeledWordTable)
        return NULL;
    for (DWORD i = 0; i < lpSet->nEntries; i++)
        if (lpSet->lpLabeledWordTable[i].Value == Value)
            return (LPBYTE)lpSet->lpLabeledWordTable[i].Label;
    return NULL;
}

LPBYTE WINAPI NATIVE(LookupDwordSetString)(LPSET lpSet, DWORD Value)
{
    if (!lpSet || !lpSet->lpLabeledDwordTable)
        return NULL;
    for (DWORD i = 0; i < lpSet->nEntries; i++)
        if (lpSet->lpLabeledDwordTable[i].Value == Value)
            return (LPBYTE)lpSet->lpLabeledDwordTable[i].Label;
    return NULL;
}

NATIVE_AGREES(LookupByteSetString);
NATIVE_AGREES(LookupWordSetString);
NATIVE_AGREES(LookupDwordSetString);

/* --- VarLenSmallIntToDword -------------------------------------------------------------------
 * One to four bytes, unsigned. Not swapped: as an x86 stores it, least significant byte first;
 * byte-swapped: as a network carries it, most significant first (Netmon's BYTESWAPPED
 * property types). */

LPDWORD WINAPI NATIVE(VarLenSmallIntToDword)(LPBYTE pValue, WORD ValueLen, WINBOOL fIsByteswapped,
                                             LPDWORD lpDword)
{
    if (!pValue || !lpDword || ValueLen == 0 || ValueLen > sizeof(DWORD))
        return NULL;
    DWORD v = 0;
    for (WORD i = 0; i < ValueLen; i++)
        v = fIsByteswapped ? v << 8 | pValue[i] : v | (DWORD)pValue[i] << (8 * i);
    *lpDword = v;
    return lpDword;
}

NATIVE_AGREES(VarLenSmallIntToDword);

/* --- BER (X.690) -----------------------------------------------------------------------------
 * No length of the input is passed, so only the header is read: a one-octet tag (the
 * high-tag-number form cannot be reported in *pTag and is refused, as is tag 0, end-of-contents)
 * and a definite length, short form or long form of one to four octets (the indefinite form,
 * and lengths that do not fit a DWORD, are refused). The content is never read; that it lies
 * within the caller's data is for the caller to check, with the lengths returned. An element
 * whose end would lie beyond the top of the address space is refused. */

#define BER_CONSTRUCTED 0x20
#define BER_HIGH_TAG    0x1f
#define BER_LONG_LENGTH 0x80

struct ber_header {
    BYTE tag;
    DWORD header_length;    /* tag and length octets */
    DWORD data_length;
};

static int ber_header(const BYTE *p, struct ber_header *h)
{
    BYTE tag = p[0];
    if (tag == 0 || (tag & BER_HIGH_TAG) == BER_HIGH_TAG)
        return 0;
    BYTE first = p[1];
    DWORD length = first, header = 2;
    if (first & BER_LONG_LENGTH) {
        DWORD octets = first & 0x7f;
        if (octets == 0 || octets > sizeof(DWORD))
            return 0;
        length = 0;
        for (DWORD i = 0; i < octets; i++)
            length = length << 8 | p[2 + i];
        header += octets;
    }
    if ((uintptr_t)length > UINTPTR_MAX - (uintptr_t)p - header)
        return 0;
    h->tag = tag;
    h->header_length = header;
    h->data_length = length;
    return 1;
}

/* INTEGER, and the SNMP types that are integers: Counter32, Gauge32 (Unsigned32), TimeTicks,
 * Counter64 (RFC 1155, RFC 2578). */
static int ber_is_integer(BYTE tag)
{
    return tag == 0x02 || tag == 0x41 || tag == 0x42 || tag == 0x43 || tag == 0x46;
}

/* Primitive OCTET STRING, the SNMP types that are octet strings (IpAddress, Opaque,
 * NsapAddress), and the character string types of X.680 in their primitive form. */
static int ber_is_string(BYTE tag)
{
    switch (tag) {
    case 0x04:                          /* OCTET STRING */
    case 0x40: case 0x44: case 0x45:    /* IpAddress, Opaque, NsapAddress */
    case 0x0c:                          /* UTF8String */
    case 0x12: case 0x13: case 0x14: case 0x15: case 0x16:  /* Numeric, Printable, T61,
                                                               Videotex, IA5 */
    case 0x19: case 0x1a: case 0x1b: case 0x1c:             /* Graphic, Visible, General,
                                                               Universal */
    case 0x1e:                          /* BMPString */
        return 1;
    default:
        return 0;
    }
}

/* BERGetInteger and BERGetString: the element at p, when its tag is one the caller accepts. */
static WINBOOL ber_value(ULPBYTE p, int (*accepts)(BYTE), DWORD min_length, ULPBYTE *ppValuePointer,
                         LPDWORD pHeaderLength, LPDWORD pDataLength, ULPBYTE *ppNext)
{
    struct ber_header h;
    if (!p || !ppValuePointer || !pHeaderLength || !pDataLength || !ppNext)
        return FALSE;
    if (!ber_header(p, &h) || !accepts(h.tag) || h.data_length < min_length)
        return FALSE;
    *ppValuePointer = p + h.header_length;
    *pHeaderLength = h.header_length;
    *pDataLength = h.data_length;
    *ppNext = p + h.header_length + h.data_length;
    return TRUE;
}

WINBOOL __cdecl NATIVE(BERGetInteger)(ULPBYTE pCurrentPointer, ULPBYTE *ppValuePointer,
                                      LPDWORD pHeaderLength, LPDWORD pDataLength, ULPBYTE *ppNext)
{
    /* X.690 8.3.1: an integer has at least one content octet. A longer encoding than needed
     * is not refused, so that a monitor can still show a careless agent's values. */
    return ber_value(pCurrentPointer, ber_is_integer, 1, ppValuePointer, pHeaderLength,
                     pDataLength, ppNext);
}

WINBOOL __cdecl NATIVE(BERGetString)(ULPBYTE pCurrentPointer, ULPBYTE *ppValuePointer,
                                     LPDWORD pHeaderLength, LPDWORD pDataLength, ULPBYTE *ppNext)
{
    return ber_value(pCurrentPointer, ber_is_string, 0, ppValuePointer, pHeaderLength,
                     pDataLength, ppNext);
}

/* Any tag, primitive or constructed: *ppNext is the first content octet, so that the caller
 * can descend into the chosen alternative. */
WINBOOL __cdecl NATIVE(BERGetHeader)(ULPBYTE pCurrentPointer, ULPBYTE pTag, LPDWORD pHeaderLength,
                                     LPDWORD pDataLength, ULPBYTE *ppNext)
{
    struct ber_header h;
    if (!pCurrentPointer || !pTag || !pHeaderLength || !pDataLength || !ppNext)
        return FALSE;
    if (!ber_header(pCurrentPointer, &h))
        return FALSE;
    *pTag = h.tag;
    *pHeaderLength = h.header_length;
    *pDataLength = h.data_length;
    *ppNext = pCurrentPointer + h.header_length;
    return TRUE;
}

NATIVE_AGREES(BERGetInteger);
NATIVE_AGREES(BERGetString);
NATIVE_AGREES(BERGetHeader);

/* --- BuildINIPath ----------------------------------------------------------------------------
 * <directory of nmapi.dll>\PARSERS\<IniFileName>.INI, in the ANSI code page, at most
 * INI_PATH_LENGTH bytes with its NUL. Composed in UTF-16 and converted once at the end, so a
 * double-byte code page's trail bytes are never taken for a backslash, and refused when the
 * ANSI code page cannot spell it exactly (a best-fit path would name another file). */

static int valid_base_name(const char *name, size_t length)
{
    if (length == 0)
        return 0;
    for (size_t i = 0; i < length; i++) {
        unsigned char c = (unsigned char)name[i];
        if (c < 0x20 || strchr("<>:\"/\\|?*", c))
            return 0;
    }
    return 1;
}

/* The ANSI bytes of w (n characters, NUL included), or 0 when they do not fit in cap or some
 * character has no exact spelling. */
static int exact_ansi(const WCHAR *w, int n, char *out, int cap)
{
    UINT acp = GetACP();
    if (acp == CP_UTF8)
        return WideCharToMultiByte(CP_UTF8, WC_ERR_INVALID_CHARS, w, n, out, cap, NULL, NULL);
    BOOL lossy = FALSE;
    int bytes = WideCharToMultiByte(acp, WC_NO_BEST_FIT_CHARS, w, n, out, cap, NULL, &lossy);
    return lossy ? 0 : bytes;
}

LPSTR __cdecl NATIVE(BuildINIPath)(char *FullPath, char *IniFileName)
{
    static const WCHAR subdir[] = L"" PARSERS_SUBDIR "\\";
    static const WCHAR extension[] = L"." INI_EXTENSION;
    if (!FullPath || !IniFileName)
        return NULL;
    size_t name_length = strnlen(IniFileName, INI_PATH_LENGTH);
    if (name_length >= INI_PATH_LENGTH || !valid_base_name(IniFileName, name_length))
        return NULL;

    WCHAR path[INI_PATH_LENGTH + 1];
    HMODULE self = NULL;
    if (!GetModuleHandleExW(GET_MODULE_HANDLE_EX_FLAG_FROM_ADDRESS |
                            GET_MODULE_HANDLE_EX_FLAG_UNCHANGED_REFCOUNT,
                            (LPCWSTR)(void *)NATIVE(BuildINIPath), &self))
        return NULL;
    /* Every character takes at least one ANSI byte, so a module path of INI_PATH_LENGTH
     * characters or more (or a truncated one) cannot give a result that fits. */
    DWORD n = GetModuleFileNameW(self, path, INI_PATH_LENGTH);
    if (n == 0 || n >= INI_PATH_LENGTH)
        return NULL;
    while (n > 0 && path[n - 1] != L'\\' && path[n - 1] != L'/')
        n--;
    if (n == 0)
        return NULL;

    size_t subdir_length = sizeof subdir / sizeof *subdir - 1;
    size_t extension_length = sizeof extension / sizeof *extension - 1;
    if (n + subdir_length + name_length + extension_length >= INI_PATH_LENGTH)
        return NULL;
    memcpy(path + n, subdir, subdir_length * sizeof(WCHAR));
    n += (DWORD)subdir_length;
    int name_chars = MultiByteToWideChar(CP_ACP, MB_ERR_INVALID_CHARS, IniFileName,
                                         (int)name_length, path + n, (int)(INI_PATH_LENGTH - n));
    if (name_chars <= 0 || n + (size_t)name_chars + extension_length >= INI_PATH_LENGTH)
        return NULL;
    n += (DWORD)name_chars;
    memcpy(path + n, extension, (extension_length + 1) * sizeof(WCHAR));
    n += (DWORD)extension_length + 1;

    char ansi[INI_PATH_LENGTH];
    int bytes = exact_ansi(path, (int)n, ansi, sizeof ansi);
    if (bytes <= 0)
        return NULL;
    memcpy(FullPath, ansi, (size_t)bytes);
    return FullPath;
}

NATIVE_AGREES(BuildINIPath);
