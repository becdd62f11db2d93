// A small tokenizer for the listings: keywords, strings, comments, numbers.
// It builds spans with createElement; the source is only ever text.

const KEYWORDS = {
  python: new Set([
    "async",
    "await",
    "def",
    "return",
    "import",
    "from",
    "as",
    "for",
    "in",
    "while",
    "if",
    "elif",
    "else",
    "try",
    "except",
    "finally",
    "with",
    "raise",
    "class",
    "lambda",
    "yield",
    "not",
    "and",
    "or",
    "is",
    "None",
    "True",
    "False",
    "pass",
    "break",
    "continue",
    "global",
    "nonlocal",
    "del",
    "assert",
  ]),
  rust: new Set([
    "async",
    "await",
    "fn",
    "let",
    "mut",
    "pub",
    "use",
    "mod",
    "crate",
    "self",
    "Self",
    "super",
    "struct",
    "enum",
    "impl",
    "trait",
    "for",
    "in",
    "while",
    "loop",
    "if",
    "else",
    "match",
    "return",
    "move",
    "ref",
    "as",
    "const",
    "static",
    "where",
    "type",
    "dyn",
    "true",
    "false",
    "break",
    "continue",
    "unsafe",
    "Some",
    "None",
    "Ok",
    "Err",
  ]),
};

// One token: [class or null, text].
function* tokens(source, language) {
  const keywords = KEYWORDS[language];
  const comment = language === "python" ? /#[^\n]*/y : /\/\/[^\n]*|\/\*[\s\S]*?\*\//y;
  const string =
    language === "python"
      ? /[rbfRBF]{0,2}("""[\s\S]*?"""|'''[\s\S]*?'''|"(?:\\.|[^"\\\n])*"|'(?:\\.|[^'\\\n])*')/y
      : /b?r#*"[\s\S]*?"#*|b?"(?:\\.|[^"\\])*"|b?'(?:\\.|[^'\\])'/y;
  const number = /\b(?:0[xob][\da-fA-F_]+|\d[\d_]*(?:\.\d[\d_]*)?(?:[eE][+-]?\d+)?)(?:[a-z]\w*)?\b/y;
  const word = /[A-Za-z_]\w*/y;
  let plain = "";
  let i = 0;
  const take = (pattern) => {
    pattern.lastIndex = i;
    const match = pattern.exec(source);
    return match ? match[0] : null;
  };
  while (i < source.length) {
    let text;
    let kind = null;
    if ((text = take(comment))) kind = "tok-comment";
    else if ((text = take(string))) kind = "tok-string";
    else if ((text = take(number))) kind = "tok-number";
    else if ((text = take(word))) kind = keywords.has(text) ? "tok-keyword" : null;
    else text = source[i];
    i += text.length;
    if (kind) {
      if (plain) {
        yield [null, plain];
        plain = "";
      }
      yield [kind, text];
    } else {
      plain += text;
    }
  }
  if (plain) yield [null, plain];
}

// Fills `target` with `source`, highlighted as `language` ("python" or "rust").
export function highlight(target, source, language) {
  const parts = [];
  for (const [kind, text] of tokens(source, language)) {
    if (kind) {
      const span = document.createElement("span");
      span.className = kind;
      span.textContent = text;
      parts.push(span);
    } else {
      parts.push(document.createTextNode(text));
    }
  }
  target.replaceChildren(...parts);
}
