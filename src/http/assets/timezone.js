// Progressive enhancement for the subscribe and manage forms: preselect the browser's
// timezone when the form still shows the server's default (UTC). Without JavaScript the
// select simply stays on UTC.
(() => {
  const select = document.getElementById("timezone");
  if (select?.dataset.defaultBrowser !== "yes") return;
  let zone;
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch {
    return;
  }
  if (zone && Array.from(select.options).some((o) => o.value === zone || o.text === zone))
    select.value = zone;
})();
