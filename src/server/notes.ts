// Notes the add-on leaves on cells it put back or fixed start with this, so that it can remove
// its own old notes (and only those) once a cell holds an accepted value again.
export const NOTE_PREFIX = '【プラチナ提案台帳】';
