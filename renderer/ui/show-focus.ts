/**
 * Moves the keyboard focus for a shortcut or a taken call and makes sure it
 * shows: browsers draw the focus ring for a script's focus only when they
 * guess the keyboard is in use, so the element is marked (class
 * `focus-shown`, drawn like :focus-visible) until it loses the focus. The
 * element's area (its section, with the heading) is scrolled into view.
 */
export function showFocus(element: HTMLElement): void {
  element.classList.add('focus-shown');
  element.addEventListener('blur', () => element.classList.remove('focus-shown'), { once: true });
  element.focus({ preventScroll: true });
  (element.closest('section') ?? element).scrollIntoView({ block: 'nearest' });
}
