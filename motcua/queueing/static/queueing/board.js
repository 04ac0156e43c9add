// The board (TV) page: render each `board` snapshot of the event stream; highlight and speak each `call`.
// EventSource reconnects by itself, and every (re)connection starts with a fresh snapshot.
(function () {
  "use strict";
  var root = document.getElementById("board");
  var lang = root.getAttribute("data-lang");
  var announce = document.getElementById("announce");
  var fresh = null;

  function cell(text) { var td = document.createElement("td"); td.textContent = text; return td; }
  function rows(id, items, cells) {
    var body = document.getElementById(id);
    body.replaceChildren.apply(body, items.map(function (item) {
      var tr = document.createElement("tr");
      cells(item).forEach(function (text) { tr.appendChild(cell(text)); });
      if (fresh && item.number === fresh.number && item.counter === fresh.counter) { tr.className = "fresh"; }
      return tr;
    }));
  }
  function render(board) {
    rows("current", board.current, function (c) { return [c.counter, c.number]; });
    rows("recent", board.calls, function (c) { return [c.number, c.counter]; });
    rows("services", board.services, function (s) { return [s.code + " – " + s.name, s.waiting]; });
  }
  function speak(text) {
    if (!("speechSynthesis" in window)) { return; }
    var utterance = new SpeechSynthesisUtterance(text);
    utterance.lang = lang;
    utterance.rate = 0.9;
    window.speechSynthesis.speak(utterance);
  }
  // Browsers let a page speak only after a user gesture: the operator presses this once when the TV starts
  // (or the TV's browser runs with --autoplay-policy=no-user-gesture-required).
  document.getElementById("sound").addEventListener("click", function (event) {
    speak(" ");
    event.target.hidden = true;
  });

  var source = new EventSource(root.getAttribute("data-stream"));
  source.addEventListener("board", function (event) {
    render(JSON.parse(event.data));
    root.setAttribute("data-live", "");  // the stream is connected: calls from now on arrive as events
  });
  source.addEventListener("call", function (event) {
    fresh = JSON.parse(event.data);
    announce.textContent = fresh.text;
    speak(fresh.speech);
  });
})();
