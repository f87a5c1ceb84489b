// After an action answered through htmx, take the keyboard focus to what the page now says
// (the success message or the refusal), so that nobody has to hunt for it.
document.addEventListener("htmx:afterSettle", function (event) {
  var body = document.getElementById("matter-body");
  if (!body || !body.contains(event.detail.elt) && event.detail.elt !== body) { return; }
  var said = body.querySelector("[role=alert], [role=status]");
  if (said) { said.tabIndex = -1; said.focus(); }
});
