// A list as a table: a caption for screen readers, column headers, the rows given as children, inside a
// box that scrolls sideways on a narrow screen (`wide` keeps many columns readable there).
import type { Child } from "hono/jsx";

export type Column = string | { label: string; number?: boolean };

export function Table(props: { caption: string; columns: Column[]; wide?: boolean; children?: Child }) {
  return (
    <div class="table-wrap">
      <table class={props.wide ? "wide" : undefined}>
        <caption class="visually-hidden">{props.caption}</caption>
        <thead>
          <tr>
            {props.columns.map((c) =>
              typeof c === "string" ? (
                <th scope="col">{c}</th>
              ) : (
                <th scope="col" class={c.number ? "number" : undefined}>
                  {c.label}
                </th>
              ),
            )}
          </tr>
        </thead>
        <tbody>{props.children}</tbody>
      </table>
    </div>
  );
}
