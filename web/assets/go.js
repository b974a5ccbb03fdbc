// Leaves the page for one of the portal's own addresses, without any inline script (the
// Content-Security-Policy allows scripts from the portal only): a form marked data-pf-go is
// submitted, a link marked data-pf-go is followed.
(function () {
  var target = document.querySelector("[data-pf-go]");
  if (!target) return;
  if (target.tagName === "FORM") {
    target.submit();
  } else if (target.href) {
    window.location.replace(target.href);
  }
})();
