/** Formats both config files accept, written once so that the two accept the same things. */
export const HOST_PORT = /^[a-z0-9]([a-z0-9.-]*[a-z0-9])?:\d{1,5}$/i;
export const HOST_PORT_EXPECTED = 'host:port, such as example.com:443 or 192.0.2.1:80';

/** How a detach key is written: ctrl+ and a letter (or ], \, ^ or _, which have control bytes too). */
export const DETACH_KEY_FORM = /^ctrl\+([a-z\]\\^_])$/i;
