// Frustration cues on the ticket page (staff): the suggested
// acknowledgement's button puts its words at the start of the Reply, once,
// and leaves the cursor after them. Without JavaScript the button stays
// hidden and the words are there to copy.
(function () {
  "use strict";

  function show() {
    var buttons = document.querySelectorAll(".mood-ack-insert[hidden]");
    for (var i = 0; i < buttons.length; i++) buttons[i].hidden = false;
  }

  document.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".mood-ack-insert");
    if (!b) return;
    var box = document.getElementById(b.getAttribute("data-insert-into"));
    var text = b.getAttribute("data-text");
    if (!box || !text) return;
    if (box.value.indexOf(text) !== 0) {
      var rest = box.value.replace(/^\s+/, "");
      box.value = text + (rest ? "\n\n" + rest : "\n\n");
      // Other scripts (drafts, the tone coach) hear of the change as if typed.
      box.dispatchEvent(new Event("input", { bubbles: true }));
    }
    box.focus();
    var end = text.length + 2;
    if (box.setSelectionRange) box.setSelectionRange(end, end);
  });

  // live.js swaps the suggestion when the mood changes: show the new button.
  new MutationObserver(show).observe(document.body, { childList: true, subtree: true });
  show();
})();
