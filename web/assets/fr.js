// French for the words Streamlit writes itself and offers no setting for (its sidebar button,
// date picker, multiselect, password eye, table toolbar, file uploader, "Press Enter to submit
// form"), and lang="fr" on the page for screen readers. Only whole texts equal to one of the
// phrases below are replaced (a text node, or an aria-label / placeholder / title), so nothing
// written by the portal or typed by a user is touched. Served by the portal itself: the
// Content-Security-Policy allows no inline script.
(function () {
  if (window.__pfFrench) return;
  window.__pfFrench = true;
  var WORDS = {
    "Press Enter to submit form": "Appuyez sur Entrée pour envoyer",
    "Press Enter to apply": "Appuyez sur Entrée pour valider",
    "Press Ctrl+Enter to submit form": "Appuyez sur Ctrl+Entrée pour envoyer",
    "Press ⌘+Enter to submit form": "Appuyez sur ⌘+Entrée pour envoyer",
    "Press Ctrl+Enter to apply": "Appuyez sur Ctrl+Entrée pour valider",
    "Press ⌘+Enter to apply": "Appuyez sur ⌘+Entrée pour valider",
    "Choose an option": "Choisir…",
    "Choose options": "Choisir…",
    "No options to select.": "Aucun choix possible",
    "No options to select": "Aucun choix possible",
    "No results": "Aucun résultat",
    "Clear all": "Tout effacer",
    "Clear value": "Effacer",
    "Clear date": "Effacer la date",
    "Clear dates": "Effacer les dates",
    "Clear time": "Effacer l'heure",
    "Clear entry": "Effacer",
    "Selected values": "Valeurs choisies",
    "Open": "Ouvrir",
    "Close": "Fermer",
    "Choose date": "Choisir une date",
    "Choose date range": "Choisir des dates",
    "Choose date and time": "Choisir la date et l'heure",
    "Previous month": "Mois précédent",
    "Next month": "Mois suivant",
    "Show password": "Afficher le mot de passe",
    "Hide password": "Masquer le mot de passe",
    "Collapse sidebar": "Replier le menu",
    "Expand sidebar": "Déplier le menu",
    "Sidebar": "Menu",
    "App pages": "Pages",
    "Main menu": "Menu principal",
    "Increment": "Augmenter",
    "Decrement": "Diminuer",
    "Search": "Rechercher",
    "Close Search": "Fermer la recherche",
    "Next Result": "Résultat suivant",
    "Previous Result": "Résultat précédent",
    "Fullscreen": "Plein écran",
    "Close fullscreen": "Quitter le plein écran",
    "Exit fullscreen": "Quitter le plein écran",
    "Dataframe column menu": "Menu de la colonne",
    "Copy column name": "Copier le nom de la colonne",
    "Link to heading": "Lien vers ce titre",
    "Upload": "Choisir un fichier",
    "Browse files": "Choisir un fichier",
    "Add files": "Ajouter des fichiers",
    "Drag and drop file here": "Glissez le fichier ici",
    "Drag and drop a file here": "Glissez le fichier ici",
    "Drag and drop files here": "Glissez les fichiers ici",
    "Delete": "Supprimer",
    "Remove file": "Retirer le fichier",
    "Stop script": "Arrêter",
    "Running...": "En cours…",
    "Page not found": "Page introuvable",
    "Pagination": "Pages",
    "Previous page": "Page précédente",
    "Next page": "Page suivante",
    "Notifications": "Notifications",
    "Scroll tabs left": "Onglets précédents",
    "Scroll tabs right": "Onglets suivants"
  };
  var PATTERNS = [
    [/^(\d+(?:\.\d+)?)\s*MB per file$/, "$1 Mo par fichier"],
    [/^(\d+(?:\.\d+)?)\s*KB per file$/, "$1 Ko par fichier"],
    [/^(\d+(?:\.\d+)?)\s*GB per file$/, "$1 Go par fichier"]
  ];
  var ATTRS = ["aria-label", "placeholder", "title", "data-title"];

  var french = function (text) {
    if (!text) return null;
    var t = text.trim();
    if (Object.prototype.hasOwnProperty.call(WORDS, t)) return text.replace(t, WORDS[t]);
    for (var i = 0; i < PATTERNS.length; i++) {
      if (PATTERNS[i][0].test(t)) return text.replace(t, t.replace(PATTERNS[i][0], PATTERNS[i][1]));
    }
    return null;
  };
  var attribute = function (e, name) {
    var value = e.getAttribute(name), done = french(value);
    if (done !== null && done !== value) e.setAttribute(name, done);
  };
  var text = function (node) {
    var done = french(node.nodeValue);
    if (done !== null && done !== node.nodeValue) node.nodeValue = done;
  };
  var mend = function (root) {
    if (root.nodeType === 3) return text(root);
    if (root.nodeType !== 1) return;
    var named = root.querySelectorAll("[aria-label],[placeholder],[title],[data-title]");
    [root].concat(Array.prototype.slice.call(named)).forEach(function (e) {
      ATTRS.forEach(function (a) { if (e.hasAttribute(a)) attribute(e, a); });
    });
    var walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) text(walker.currentNode);
  };
  new MutationObserver(function (records) {
    if (document.documentElement.lang !== "fr") document.documentElement.lang = "fr";
    records.forEach(function (r) {
      if (r.type === "childList") r.addedNodes.forEach(mend);
      else if (r.type === "characterData") text(r.target);
      else attribute(r.target, r.attributeName);
    });
  }).observe(document.documentElement, {childList: true, subtree: true, characterData: true,
                                         attributes: true, attributeFilter: ATTRS});
  document.documentElement.lang = "fr";
  mend(document.body);
})();
