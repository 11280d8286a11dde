// Filled in by the translation work (see ui/js/i18n.js).
export default {
};
