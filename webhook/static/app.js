// Tổ Công Nghệ web chat: pick who you are and where you write; the bot's replies are polled.
"use strict";

const $ = (id) => document.getElementById(id);
const ROLES = { thanhvien: "Thành viên", topho: "Tổ phó", totruong: "Tổ trưởng", canbo: "Cán bộ xã" };
const SUGGEST = {
  canbo: ["/baocao", "/baocao thang", "/baocao tuantruoc", "/bangxephang", "/tiendo", "/huongdan"],
  totruong: ["/bc vneid 3 ho 5", "/ghinhan", "/tiendo", "/toi", "/huy", "/huongdan"],
  thanhvien: ["/bc vneid 3 ho 5", "/ghinhan", "/toi", "/huy", "/huongdan"],
};
const BOT_NAME = "Bot Tổ Công Nghệ";
const POLL_MS = 1000;
const state = {
  personas: [], persona: null, chat: null, lastId: 0, generation: 0,
  polling: false, pollAgain: false, queue: Promise.resolve(),
};

// A UUID from getRandomValues: crypto.randomUUID needs a secure context, a LAN address is not one.
function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

async function api(path, body) {
  const options = body === undefined ? {} : {
    method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body),
  };
  const response = await fetch(path, options);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

function roleLabel(persona) {
  return ROLES[persona.role] || "Chưa tham gia tổ";
}

function chatTitle(chat) {
  return chat.kind === "private" ? BOT_NAME : chat.title;
}

const BOT_ICON = '<svg viewBox="0 0 24 24" width="60%" height="60%" aria-hidden="true"><path fill="currentColor" d="M12 2a1 1 0 0 1 1 1v1h4a3 3 0 0 1 3 3v9a3 3 0 0 1-3 3H7a3 3 0 0 1-3-3V7a3 3 0 0 1 3-3h4V3a1 1 0 0 1 1-1zM9 10a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm6 0a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3zm-6 5h6v1.5H9z"/></svg>';

// A robot for the private chat, initials of the place for a group ("Ấp Tân Hòa" → "TH").
function avatar(chat, className) {
  const node = el("span", `avatar ${className || ""}`);
  if (chat.kind === "private") {
    node.classList.add("bot");
    node.innerHTML = BOT_ICON;
    return node;
  }
  const words = chat.title.split(" ");
  const start = words.findIndex((w) => ["Ấp", "Xã", "Thôn", "Phường"].includes(w));
  const name = start >= 0 ? words.slice(start + 1) : words;
  node.textContent = name.map((w) => w[0]).join("").slice(0, 2).toUpperCase();
  node.classList.add(chat.id.split("-").length > 2 ? "hamlet" : "commune");
  return node;
}

async function loadPersonas() {
  const data = await api("/webchat/personas");
  state.personas = data.personas;
  const select = $("persona");
  select.replaceChildren();
  const groups = new Map();
  for (const persona of state.personas) {
    const unit = persona.unit || "Khác";
    if (!groups.has(unit)) groups.set(unit, el("optgroup"));
    const group = groups.get(unit);
    group.label = unit;
    const option = el("option", "", `${persona.name} · ${roleLabel(persona).toLowerCase()}`);
    option.value = persona.id;
    group.append(option);
  }
  select.append(...groups.values());
  const saved = localStorage.getItem("tcn.persona");
  const fallback = state.personas.find((p) => p.role !== "canbo") || state.personas[0];
  const chosen = state.personas.find((p) => p.id === saved) || fallback;
  if (chosen) choosePersona(chosen.id, localStorage.getItem("tcn.chat"));
  else $("chat-title").textContent = "Chưa có dữ liệu mẫu: chạy tocongnghe demo --reset";
}

function choosePersona(id, preferredChat) {
  const persona = state.personas.find((p) => p.id === id);
  if (!persona) return;
  state.persona = persona;
  $("persona").value = id;
  localStorage.setItem("tcn.persona", id);
  const who = $("who");
  who.replaceChildren(el("span", "badge", roleLabel(persona)), persona.unit || "");
  renderSuggestions();
  const chat = persona.chats.find((c) => c.id === preferredChat) || persona.chats[0];
  chooseChat(chat.id);
}

function renderSuggestions() {
  const box = $("suggest");
  box.replaceChildren();
  for (const command of SUGGEST[state.persona.role] || SUGGEST.thanhvien) {
    const button = el("button", "", command);
    button.type = "button";
    // a command with arguments goes to the input box to edit; a bare command is sent at once
    button.addEventListener("click", () => {
      if (command.includes(" ")) {
        $("text").value = command;
        $("text").focus();
      } else {
        send({ text: command });
      }
    });
    box.append(button);
  }
}

function chooseChat(id) {
  const chat = state.persona.chats.find((c) => c.id === id);
  state.chat = chat.id;
  state.lastId = 0;
  state.generation += 1;
  localStorage.setItem("tcn.chat", chat.id);
  $("message-list").replaceChildren();
  $("empty").hidden = true;
  $("chat-title").textContent = chatTitle(chat);
  const where = chat.kind === "private" ? "Chat riêng" : "Nhóm";
  $("chat-sub").textContent = `${where} · bạn là ${state.persona.name}, ${roleLabel(state.persona).toLowerCase()}`;
  const icon = avatar(chat);
  icon.id = "chat-avatar";
  $("chat-avatar").replaceWith(icon);
  const nav = $("chats");
  nav.replaceChildren();
  for (const item of state.persona.chats) {
    const link = el("button", `chat-link${item.id === chat.id ? " active" : ""}`);
    link.type = "button";
    link.dataset.chat = item.id;
    const label = el("span", "chat-label", item.kind === "private" ? "Chat riêng với bot" : item.unit);
    label.append(el("small", "", item.kind === "private" ? BOT_NAME : "Nhóm chat của tổ"));
    link.append(avatar(item), label);
    link.addEventListener("click", () => chooseChat(item.id));
    nav.append(link);
  }
  togglePanel(false);
  poll();
}

async function poll() {
  if (!state.chat) return;
  if (state.polling) {
    state.pollAgain = true;
    return;
  }
  state.polling = true;
  const generation = state.generation;
  try {
    const url = `/webchat/messages?chat=${encodeURIComponent(state.chat)}&after=${state.lastId}`;
    const data = await api(url);
    $("offline").hidden = true;
    if (generation === state.generation) {
      const messages = data.messages.filter((m) => m.id > state.lastId);
      const box = $("messages");
      const atBottom = box.scrollHeight - box.scrollTop - box.clientHeight < 80;
      for (const message of messages) $("message-list").append(renderMessage(message));
      if (messages.length) state.lastId = messages[messages.length - 1].id;
      $("empty").hidden = state.lastId > 0;
      if (messages.length && (atBottom || generation !== state.shownGeneration)) {
        box.scrollTop = box.scrollHeight;
      }
      state.shownGeneration = generation;
    }
  } catch (error) {
    $("offline").hidden = false;
  } finally {
    state.polling = false;
    if (state.pollAgain) {
      state.pollAgain = false;
      poll();
    }
  }
}

function renderMessage(m) {
  const mine = !m.from_bot && m.user_id === state.persona.id;
  const item = el("li", `msg ${m.from_bot ? "bot" : mine ? "me" : "other"}`);
  item.dataset.id = m.id;
  if (!mine && state.chat.startsWith("g-")) item.append(el("span", "name", m.from_bot ? BOT_NAME : m.sender));
  const bubble = el("div", `bubble${m.pressed ? " pressed" : ""}`);
  if (m.image_url) {
    const link = el("a");
    link.href = m.image_url;
    link.target = "_blank";
    const image = el("img");
    image.src = m.image_url;
    image.alt = "Hình do bot gửi";
    image.addEventListener("load", () => { $("messages").scrollTop = $("messages").scrollHeight; });
    link.append(image);
    bubble.append(link);
  }
  if (m.text) bubble.append(el("div", "text", m.text));
  if (m.file_url) {
    const file = el("a", "file");
    file.href = m.file_url;
    file.download = m.filename || "";
    const label = el("span", "", m.filename || "Tệp");
    label.append(el("small", "", "Bấm để tải xuống"));
    file.append(el("span", "file-icon", "XLS"), label);
    bubble.append(file);
  }
  const time = el("time", "", new Date(m.at).toLocaleTimeString("vi-VN", { hour: "2-digit", minute: "2-digit" }));
  bubble.append(time);
  item.append(bubble);
  if (m.choices && m.choices.length) {
    const row = el("div", "choices");
    for (const choice of m.choices) {
      const button = el("button", "choice", choice.label);
      button.type = "button";
      button.addEventListener("click", () => send({ choice: choice.data, label: choice.label }));
      row.append(button);
    }
    item.append(row);
  }
  return item;
}

// Sends go one after another, in order; a failed post is retried once with the same key,
// which the server counts once.
function send(payload) {
  const body = { as: state.persona.id, chat: state.chat, key: uuid(), ...payload };
  state.queue = state.queue.then(async () => {
    $("typing").hidden = false;
    $("messages").scrollTop = $("messages").scrollHeight;
    try {
      await api("/webchat/send", body);
    } catch (error) {
      await api("/webchat/send", body).catch(() => { $("offline").hidden = false; });
    } finally {
      $("typing").hidden = true;
      poll();
    }
  });
  return state.queue;
}

async function runJob(name, button, done) {
  const status = $("job-status");
  button.disabled = true;
  status.textContent = "Đang chạy…";
  try {
    const result = await api(`/webchat/jobs/${name}`, {});
    status.textContent = done(result);
  } catch (error) {
    status.textContent = "Chưa chạy được việc này (xem cửa sổ dòng lệnh).";
  } finally {
    button.disabled = false;
    poll();
  }
}

function togglePanel(open) {
  $("panel").classList.toggle("open", open);
  $("scrim").classList.toggle("open", open);
}

$("composer").addEventListener("submit", (event) => {
  event.preventDefault();
  const text = $("text").value.trim();
  if (!text) return;
  $("text").value = "";
  send({ text });
});
$("persona").addEventListener("change", (event) => choosePersona(event.target.value));
$("open-panel").addEventListener("click", () => togglePanel(true));
$("close-panel").addEventListener("click", () => togglePanel(false));
$("scrim").addEventListener("click", () => togglePanel(false));
function jobOutcome(r, sent, already) {
  if (r.dry_run) return `Chạy thử: việc này sẽ gửi ${r.messages} tin. Chưa gửi tin nào; lần chạy thật của tuần vẫn còn nguyên.`;
  if (!r.messages && !r.waiting && r.already_done) return already;
  const held = r.waiting ? ` (${r.waiting} tin chờ hết giờ yên lặng ban đêm)` : "";
  return `${sent.replace("{n}", r.messages)}${held}. Mở các nhóm và chat riêng để xem.`;
}
$("job-reminder").addEventListener("click", (event) =>
  runJob("reminder", event.currentTarget, (r) => jobOutcome(r,
    "Đã gửi {n} tin nhắc nhở", "Tuần này đã nhắc rồi: mỗi tuần chỉ nhắc một lần.")));
$("job-leaderboard").addEventListener("click", (event) =>
  runJob("leaderboard", event.currentTarget, (r) => jobOutcome(r,
    "Đã đăng bảng xếp hạng tuần trước: {n} tin", "Bảng xếp hạng tuần trước đã đăng rồi.")));

loadPersonas().catch(() => { $("offline").hidden = false; });
setInterval(poll, POLL_MS);
