/**
 * A small HTML preview of messages as the fake Discord recorded them (content, embeds, buttons),
 * so the docs can show what members see. It is our own rendering, not Discord's: every text is
 * escaped first and only `**bold**` is drawn, so the preview cannot show markup Discord would not.
 */
interface PreviewEmbed { title?: string; description?: string; url?: string; thumbnail?: { url?: string }; image?: { url?: string }; footer?: { text?: string }; fields?: { name: string; value: string; inline?: boolean }[]; color?: number }
interface PreviewButton { label?: string; style: number; url?: string; disabled?: boolean }
export interface PreviewMessage { content?: string; embeds?: readonly PreviewEmbed[]; components?: unknown; ephemeral?: boolean; author?: string }

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const day = (seconds: string) => new Date(Number(seconds) * 1000).toLocaleDateString('en-US', { month: 'short', day: 'numeric', year: 'numeric' });
/**
 * Markdown-escaped characters (`\\*`) are set aside first so they stay literal, then everything is
 * HTML-escaped and only **bold**, timestamps (`<t:…>`) and line breaks are drawn.
 */
const text = (s: string | undefined) =>
  escape((s ?? '').replace(/\\([^A-Za-z0-9\s])/g, (_, c: string) => `\u0000${c.charCodeAt(0)}\u0001`))
    .replace(/\*\*(.+?)\*\*/g, '<b>$1</b>')
    .replace(/&lt;t:(\d+)(?::[A-Za-z])?&gt;/g, (_, n: string) => day(n))
    .replace(/\u0000(\d+)\u0001/g, (_, n: string) => escape(String.fromCharCode(Number(n))))
    .replace(/\n/g, '<br>');

const STYLE = `body{margin:0;padding:16px 20px;background:#313338;color:#dbdee1;font:15px/1.4 "DejaVu Sans",sans-serif;width:640px}
.msg{display:flex;gap:14px;margin-bottom:18px}.avatar{width:40px;height:40px;border-radius:50%;background:#5865f2;flex:none}
.who{font-weight:600;color:#fff}.who small{font-weight:400;color:#949ba4;margin-left:6px;font-size:12px}.tag{background:#5865f2;color:#fff;font-size:10px;border-radius:3px;padding:0 4px;margin-left:4px}
.embed{display:flex;gap:12px;background:#2b2d31;border-left:4px solid #1e88e5;border-radius:4px;padding:10px 12px;margin-top:6px;max-width:520px}
.embed .title{font-weight:600;color:#00a8fc}.embed .footer{font-size:12px;color:#b5bac1;margin-top:6px}.embed img{width:80px;height:80px;object-fit:cover;border-radius:4px}
.fields{display:flex;gap:16px;margin-top:4px}.field b{display:block;font-size:13px}
.row{display:flex;gap:8px;margin-top:8px}.btn{padding:5px 14px;border-radius:4px;font-size:14px;color:#fff;background:#4e5058}.btn.s1{background:#5865f2}.btn.s3{background:#248046}.btn.s4{background:#da373c}
.eph{font-size:12px;color:#949ba4;margin-top:6px}`;

function embedHtml(e: PreviewEmbed): string {
  const fields = e.fields?.length ? `<div class="fields">${e.fields.map((f) => `<div class="field"><b>${text(f.name)}</b>${text(f.value)}</div>`).join('')}</div>` : '';
  const thumb = e.thumbnail?.url ?? e.image?.url;
  return `<div class="embed"${e.color ? ` style="border-left-color:#${e.color.toString(16).padStart(6, '0')}"` : ''}><div style="flex:1">
${e.title ? `<div class="title">${text(e.title)}</div>` : ''}${e.description ? `<div>${text(e.description)}</div>` : ''}${fields}${e.footer?.text ? `<div class="footer">${escape(e.footer.text)}</div>` : ''}
</div>${thumb ? `<img src="${escape(thumb)}" alt="">` : ''}</div>`;
}

function rowsHtml(components: unknown): string {
  const rows = (Array.isArray(components) ? components : []) as { components?: PreviewButton[] }[];
  return rows.map((r) => `<div class="row">${(r.components ?? []).map((b) => `<span class="btn s${b.style}">${escape(b.label ?? '')}${b.style === 5 ? ' ↗' : ''}</span>`).join('')}</div>`).join('');
}

/** One page holding the messages, top to bottom. */
export function renderDiscordPreview(messages: readonly PreviewMessage[]): string {
  const body = messages.map((m) => `<div class="msg"><div class="avatar"></div><div style="flex:1">
<div class="who">${escape(m.author ?? 'Kaltura Meetings')}<span class="tag">APP</span><small>Today at 10:00</small></div>
${m.content ? `<div>${text(m.content)}</div>` : ''}${(m.embeds ?? []).map(embedHtml).join('')}${rowsHtml(m.components)}
${m.ephemeral ? '<div class="eph">Only you can see this</div>' : ''}</div></div>`).join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><style>${STYLE}</style></head><body>${body}</body></html>`;
}
