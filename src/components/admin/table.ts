// Admin tables on a phone: each row becomes a stacked card of its cells (header kept for screen
// readers), so nothing is cut off at the right edge and no sideways scrolling is needed.
export const stackOnPhone =
  "max-sm:block max-sm:[&_thead]:sr-only max-sm:[&_tbody]:block max-sm:[&_tr]:flex max-sm:[&_tr]:flex-col max-sm:[&_tr]:items-start max-sm:[&_tr]:gap-1.5 max-sm:[&_tr]:py-3 max-sm:[&_td]:block max-sm:[&_td]:max-w-none max-sm:[&_td]:p-0 max-sm:[&_td]:text-left";
