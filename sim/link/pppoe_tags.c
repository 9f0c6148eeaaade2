/*
 * PPPoE discovery tags (RFC 2516 section 5 and appendix A): TAG_TYPE and
 * TAG_LENGTH, 16 bits each in network order, then TAG_LENGTH bytes of
 * value. The decoder trusts no length: a tag whose header or value runs
 * past the payload makes the whole packet invalid, and the offset of that
 * tag is reported, so a trace can say where the packet went wrong.
 */
#include "pppoe.h"

#include <string.h>

#define TAG_HDRLEN 4

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

int pppoe_tags_decode(const uint8_t *p, size_t len, struct pppoe_tag *tags, int max,
                      size_t *err_off)
{
	int n = 0;
	size_t off = 0;

	while (off < len) {
		/* The tag header itself must fit, then its value. */
		if (len - off < TAG_HDRLEN || rd16(p + off + 2) > len - off - TAG_HDRLEN) {
			if (err_off)
				*err_off = off;
			return -1;
		}
		uint16_t type = rd16(p + off);
		uint16_t tlen = rd16(p + off + 2);
		/* End-Of-List: nothing after it is a tag (RFC 2516 appendix A). */
		if (type == PPPOE_TAG_END_OF_LIST)
			break;
		if (n < max && tags) {
			tags[n].type = type;
			tags[n].len = tlen;
			tags[n].value = p + off + TAG_HDRLEN;
			n++;
		}
		off += TAG_HDRLEN + (size_t)tlen;
	}
	return n;
}

size_t pppoe_tag_put(uint8_t *p, size_t room, uint16_t type, const void *value, uint16_t len)
{
	size_t need = TAG_HDRLEN + (size_t)len;

	if (room < need || (len > 0 && !value))
		return 0;
	p[0] = (uint8_t)(type >> 8);
	p[1] = (uint8_t)type;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	if (len > 0)
		memcpy(p + TAG_HDRLEN, value, len);
	return need;
}
