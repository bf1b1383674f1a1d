/*
 * pvm_packf / pvm_unpackf and their va_list forms: the only C in libpvm3.
 *
 * Stable Rust cannot read C variable arguments, so this shim walks the format and
 * hands each conversion, its arguments already taken from the va_list, to the
 * library's own pvm_initsend / pvm_pk* / pvm_upk* (written in Rust), which check
 * them as for any direct call.
 *
 * Format: [%+] then conversions %[count][.stride][h|l|u...](c|d|f|x|s), count and
 * stride being digits or '*' (an int argument). For packf an argument is a pointer
 * when a count or stride is written, else the value itself (promoted as C passes
 * it); for unpackf it is always a pointer. %+ (packf only) takes the encoding for
 * pvm_initsend. Other characters are skipped.
 */
#include <stdarg.h>
#include <stddef.h>
#include "pvm3.h"

struct conv {
	int count, stride, pointer, h, l, u;
	char type;
};

/* Parses one conversion after its '%'; returns the character after it, or NULL
 * when the format ends inside it. */
static const char *parse(const char *f, va_list *ap, struct conv *c)
{
	c->count = 1;
	c->stride = 1;
	c->pointer = 0;
	c->h = c->l = c->u = 0;
	if (*f == '*') {
		c->count = va_arg(*ap, int);
		c->pointer = 1;
		f++;
	} else if (*f >= '0' && *f <= '9') {
		for (c->count = 0; *f >= '0' && *f <= '9'; f++)
			c->count = c->count * 10 + (*f - '0');
		c->pointer = 1;
	}
	if (*f == '.') {
		f++;
		c->pointer = 1;
		if (*f == '*') {
			c->stride = va_arg(*ap, int);
			f++;
		} else
			for (c->stride = 0; *f >= '0' && *f <= '9'; f++)
				c->stride = c->stride * 10 + (*f - '0');
	}
	for (;; f++) {
		if (*f == 'h')
			c->h = 1;
		else if (*f == 'l')
			c->l = 1;
		else if (*f == 'u')
			c->u = 1;
		else
			break;
	}
	if (!*f)
		return NULL;
	c->type = *f;
	return f + 1;
}

/* Packs one conversion's array. */
static int pack_array(const struct conv *c, void *p)
{
	int n = c->count, s = c->stride;

	switch (c->type) {
	case 'c': return pvm_pkbyte((char *) p, n, s);
	case 'd':
		if (c->h)
			return c->u ? pvm_pkushort((unsigned short *) p, n, s)
				: pvm_pkshort((short *) p, n, s);
		if (c->l)
			return c->u ? pvm_pkulong((unsigned long *) p, n, s)
				: pvm_pklong((long *) p, n, s);
		return c->u ? pvm_pkuint((unsigned int *) p, n, s) : pvm_pkint((int *) p, n, s);
	case 'f': return c->l ? pvm_pkdouble((double *) p, n, s) : pvm_pkfloat((float *) p, n, s);
	case 'x': return c->l ? pvm_pkdcplx((double *) p, n, s) : pvm_pkcplx((float *) p, n, s);
	case 's': return pvm_pkstr((char *) p);
	default: return PvmBadParam;
	}
}

/* Packs one value passed as itself (after C's default promotions). */
static int pack_value(const struct conv *c, va_list *ap)
{
	char b; short h; unsigned short uh; int i; unsigned int ui;
	long l; unsigned long ul; float f; double d;

	switch (c->type) {
	case 'c': b = (char) va_arg(*ap, int); return pvm_pkbyte(&b, 1, 1);
	case 'd':
		if (c->h && c->u) { uh = (unsigned short) va_arg(*ap, int); return pvm_pkushort(&uh, 1, 1); }
		if (c->h) { h = (short) va_arg(*ap, int); return pvm_pkshort(&h, 1, 1); }
		if (c->l && c->u) { ul = va_arg(*ap, unsigned long); return pvm_pkulong(&ul, 1, 1); }
		if (c->l) { l = va_arg(*ap, long); return pvm_pklong(&l, 1, 1); }
		if (c->u) { ui = va_arg(*ap, unsigned int); return pvm_pkuint(&ui, 1, 1); }
		i = va_arg(*ap, int);
		return pvm_pkint(&i, 1, 1);
	case 'f':
		d = va_arg(*ap, double);
		if (c->l)
			return pvm_pkdouble(&d, 1, 1);
		f = (float) d;
		return pvm_pkfloat(&f, 1, 1);
	case 's': return pvm_pkstr(va_arg(*ap, char *));
	default: return PvmBadParam; /* a complex value cannot be passed by value */
	}
}

int pvm_vpackf(const char *fmt, va_list ap)
{
	va_list args;
	struct conv c;
	int cc = 0;

	if (!fmt)
		return PvmBadParam;
	va_copy(args, ap);
	while (cc >= 0 && *fmt) {
		if (*fmt++ != '%')
			continue;
		if (*fmt == '+') {
			fmt++;
			cc = pvm_initsend(va_arg(args, int));
			continue;
		}
		if (!(fmt = parse(fmt, &args, &c))) {
			cc = PvmBadParam;
			break;
		}
		cc = c.pointer && c.type != 's' ? pack_array(&c, va_arg(args, void *))
			: c.type == 's' ? pack_array(&c, va_arg(args, char *))
			: pack_value(&c, &args);
	}
	va_end(args);
	return cc < 0 ? cc : 0;
}

/* Unpacks one conversion into the array its pointer names. */
static int unpack(const struct conv *c, void *p)
{
	int n = c->count, s = c->stride;

	switch (c->type) {
	case 'c': return pvm_upkbyte((char *) p, n, s);
	case 'd':
		if (c->h)
			return c->u ? pvm_upkushort((unsigned short *) p, n, s)
				: pvm_upkshort((short *) p, n, s);
		if (c->l)
			return c->u ? pvm_upkulong((unsigned long *) p, n, s)
				: pvm_upklong((long *) p, n, s);
		return c->u ? pvm_upkuint((unsigned int *) p, n, s) : pvm_upkint((int *) p, n, s);
	case 'f': return c->l ? pvm_upkdouble((double *) p, n, s) : pvm_upkfloat((float *) p, n, s);
	case 'x': return c->l ? pvm_upkdcplx((double *) p, n, s) : pvm_upkcplx((float *) p, n, s);
	case 's': return pvm_upkstr((char *) p);
	default: return PvmBadParam;
	}
}

int pvm_vunpackf(const char *fmt, va_list ap)
{
	va_list args;
	struct conv c;
	int cc = 0;

	if (!fmt)
		return PvmBadParam;
	va_copy(args, ap);
	while (cc >= 0 && *fmt) {
		if (*fmt++ != '%')
			continue;
		if (*fmt == '+') { /* nothing to initialise when unpacking */
			fmt++;
			continue;
		}
		if (!(fmt = parse(fmt, &args, &c))) {
			cc = PvmBadParam;
			break;
		}
		cc = unpack(&c, va_arg(args, void *));
	}
	va_end(args);
	return cc < 0 ? cc : 0;
}

int pvm_packf(const char *fmt, ...)
{
	va_list ap;
	int cc;

	va_start(ap, fmt);
	cc = pvm_vpackf(fmt, ap);
	va_end(ap);
	return cc;
}

int pvm_unpackf(const char *fmt, ...)
{
	va_list ap;
	int cc;

	va_start(ap, fmt);
	cc = pvm_vunpackf(fmt, ap);
	va_end(ap);
	return cc;
}
