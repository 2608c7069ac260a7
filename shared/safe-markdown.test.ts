import { describe, expect, test } from "bun:test";
import { escapeMarkdown, renderSafeMarkdown, safeHref } from "./safe-markdown.ts";

describe("renderSafeMarkdown", () => {
  test("Markdown becomes HTML: headings, emphasis, lists, code", () => {
    expect(renderSafeMarkdown("# Hi\n\n**bold** and *it*\n\n- a\n- b\n\n`x < y`")).toBe(
      "<h1>Hi</h1>\n<p><strong>bold</strong> and <em>it</em></p>\n<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n<p><code>x &lt; y</code></p>\n",
    );
  });

  test("raw HTML, block or inline, is shown as text", () => {
    const html = renderSafeMarkdown("<script>alert(1)</script>\n\nhello <b onclick=x>there</b> <img src=x onerror=alert(1)>");
    expect(html).not.toMatch(/<(script|b|img)\b/);
    expect(html).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
    expect(html).toContain("hello &lt;b onclick=x&gt;there&lt;/b&gt; &lt;img src=x onerror=alert(1)&gt;");
  });

  test("links keep only http(s) and mailto destinations; others become their text", () => {
    expect(renderSafeMarkdown("[a](https://example.com/x?y=1&z=2)")).toBe(
      '<p><a href="https://example.com/x?y=1&amp;z=2" rel="noopener noreferrer" target="_blank">a</a></p>\n',
    );
    expect(renderSafeMarkdown("[m](mailto:it@example.com)")).toContain('href="mailto:it@example.com"');
    for (const bad of ["javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,<b>x</b>", "vbscript:x", "/relative", "//host/x"]) {
      const html = renderSafeMarkdown(`[click](${bad})`);
      expect(html).not.toContain("<a");
      expect(html).toContain("click");
    }
  });

  test("a link's title is escaped; an autolink is kept when safe", () => {
    expect(renderSafeMarkdown('[a](https://e.com "say \\"hi\\" <x>")')).toContain('title="say &quot;hi&quot; &lt;x&gt;"');
    expect(renderSafeMarkdown("<https://e.com>")).toContain('<a href="https://e.com/"');
  });

  test("images are not loaded from anywhere: a link to them, or their text", () => {
    expect(renderSafeMarkdown("![logo](https://cdn.example.com/l.png)")).toBe(
      '<p><a href="https://cdn.example.com/l.png" rel="noopener noreferrer" target="_blank">logo</a></p>\n',
    );
    expect(renderSafeMarkdown("![x\"><script>](javascript:1)")).not.toMatch(/<(img|script|a)\b/);
  });
});

describe("safeHref", () => {
  test("normalizes accepted URLs and refuses the rest", () => {
    expect(safeHref(" https://Example.com ")).toBe("https://example.com/");
    expect(safeHref("http://e.com/a b")).toBe("http://e.com/a%20b");
    expect(safeHref("ftp://e.com")).toBeUndefined();
    expect(safeHref("not a url")).toBeUndefined();
  });
});

describe("escapeMarkdown", () => {
  test("ASCII punctuation is backslash-escaped and line breaks become spaces", () => {
    expect(escapeMarkdown("O'Brien-Smith\r\n  # x")).toBe("O\\'Brien\\-Smith \\# x");
  });

  test("a value put into Markdown renders as exactly its text: no tag, emphasis, link, autolink, heading or list", () => {
    for (const [value, shown] of [
      ["<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"],
      ["**bold** _it_ `code`", "**bold** _it_ `code`"],
      ["[pay](https://evil.example) ![i](https://evil.example/i.png)", "[pay](https://evil.example) ![i](https://evil.example/i.png)"],
      ["www.evil.example https://evil.example a@evil.example", "www.evil.example https://evil.example a@evil.example"],
      ["x\n# Big\n- item\n1. one", "x # Big - item 1. one"],
      ["&lt; &amp;", "&amp;lt; &amp;amp;"],
    ]) {
      expect(renderSafeMarkdown(`Hi ${escapeMarkdown(value!)}!`)).toBe(`<p>Hi ${shown}!</p>\n`);
    }
  });
});
