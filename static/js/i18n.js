// Translated strings for Hallway's scripts: hallwayI18n.t("Reply") / tn(...).
// The page carries its language, the reader's time zone and the translations of the
// messages used in static/js/ in <script type="application/json" id="i18n">
// (hallway.core.i18n.i18n_script). Load this script before the ones that use it.
// Messages use Python's %(name)s placeholders, like the rest of the catalogue, and are
// extracted from t("...") and tn("...", "...", n) calls by `make translations-update`.
(function () {
  "use strict";
  let data = { locale: document.documentElement.lang || "en", timeZone: null, messages: {} };
  const block = document.getElementById("i18n");
  if (block) {
    try {
      data = Object.assign(data, JSON.parse(block.textContent));
    } catch (error) {
      // A broken block leaves the English source strings: better than no page.
    }
  }

  function format(text, params) {
    if (!params) {
      return text;
    }
    return text.replace(/%\(([A-Za-z0-9_]+)\)[sd]/g, function (whole, name) {
      return Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole;
    });
  }

  // gettext orders a language's plural forms by CLDR category; Intl says which one n is.
  const CATEGORY_ORDER = ["zero", "one", "two", "few", "many", "other"];
  let pluralRules = null;
  try {
    pluralRules = new Intl.PluralRules(data.locale);
  } catch (error) {
    pluralRules = null;
  }

  function pluralIndex(n, formCount) {
    if (!pluralRules) {
      return n === 1 ? 0 : formCount - 1;
    }
    const categories = pluralRules.resolvedOptions().pluralCategories.slice().sort(function (a, b) {
      return CATEGORY_ORDER.indexOf(a) - CATEGORY_ORDER.indexOf(b);
    });
    const index = categories.indexOf(pluralRules.select(n));
    return index < 0 || index >= formCount ? formCount - 1 : index;
  }

  function t(msgid, params) {
    const found = data.messages[msgid];
    return format(typeof found === "string" && found ? found : msgid, params);
  }

  function tn(singular, plural, n, params) {
    const values = Object.assign({ num: n }, params || {});
    const forms = data.messages[singular];
    if (Array.isArray(forms) && forms.length) {
      return format(forms[pluralIndex(n, forms.length)], values);
    }
    return format(n === 1 ? singular : plural, values);
  }

  window.hallwayI18n = { t: t, tn: tn, locale: data.locale, timeZone: data.timeZone };
})();
