// Streamlit's sidebar menu puts section headers inside its list, which screen readers announce
// wrongly: the menu's links are kept and its broken list semantics removed (role="none"),
// whenever the menu is drawn. Served by the portal itself: the Content-Security-Policy allows
// no inline script.
(function () {
  if (window.__pfMenuRoles) return;
  window.__pfMenuRoles = true;
  var fix = function () {
    document.querySelectorAll(
      "[data-testid=stSidebarNavItems], [data-testid=stSidebarNavItems] li"
    ).forEach(function (e) {
      if (e.getAttribute("role") !== "none") e.setAttribute("role", "none");
    });
  };
  new MutationObserver(fix).observe(document.body, {childList: true, subtree: true});
  fix();
})();
