// Evidence strings quote values the PR's author controls (labels, branch names, trailers).
// They end up in check runs, comments and terminals, so they are made inert and short here.

/** Characters that are invisible or reorder/hide text: never echoed into evidence. */
function isHiddenCodePoint(cp: number): boolean {
  return (
    cp <= 0x1f || // C0 controls (newlines are handled before this check)
    (cp >= 0x7f && cp <= 0x9f) || // DEL and C1 controls
    cp === 0xad || // soft hyphen
    cp === 0x061c || // Arabic letter mark (bidi)
    cp === 0x180e || // Mongolian vowel separator
    (cp >= 0x200b && cp <= 0x200f) || // zero-width space/joiners, LRM, RLM
    (cp >= 0x2028 && cp <= 0x202e) || // line/paragraph separators, bidi embeddings/overrides
    (cp >= 0x2060 && cp <= 0x206f) || // word joiner, invisible operators, bidi isolates
    (cp >= 0xfe00 && cp <= 0xfe0f) || // variation selectors (can smuggle data)
    cp === 0xfeff || // zero-width no-break space / BOM
    (cp >= 0xfff9 && cp <= 0xfffb) || // interlinear annotation controls
    (cp >= 0xe0000 && cp <= 0xe007f) || // tag characters (hidden ASCII)
    (cp >= 0xe0100 && cp <= 0xe01ef) // variation selectors supplement
  );
}

/**
 * Returns `value` safe to quote in one evidence line: line breaks and tabs become one space,
 * hidden characters (C0/C1 controls, bidi, zero-width, tags, variation selectors) are removed,
 * lone surrogates become U+FFFD, and the result is capped at `maxLength` code points with "…".
 */
export function sanitizeEvidenceText(value: string, maxLength = 80): string {
  if (typeof value !== 'string') return '';
  // Hidden characters can be stripped from anywhere, so look at a bounded slice only: enough
  // to fill maxLength visible characters unless the input is mostly hidden padding.
  const budget = maxLength * 8;
  const examined = value.length > budget ? value.slice(0, budget) : value;
  let cut = value.length > budget;
  const out: string[] = [];
  let lastWasSpace = false;
  for (const ch of examined) {
    const cp = ch.codePointAt(0) ?? 0;
    let visible: string;
    if (cp === 0x09 || cp === 0x0a || cp === 0x0d || cp === 0x20) {
      if (lastWasSpace) continue;
      visible = ' ';
    } else if (isHiddenCodePoint(cp)) {
      continue;
    } else if (cp >= 0xd800 && cp <= 0xdfff) {
      visible = '\ufffd'; // a lone surrogate (a valid pair arrives as one code point)
    } else {
      visible = ch;
    }
    if (out.length === maxLength) {
      cut = true;
      break;
    }
    out.push(visible);
    lastWasSpace = visible === ' ';
  }
  const text = out.join('').trim();
  return cut ? `${text}…` : text;
}
