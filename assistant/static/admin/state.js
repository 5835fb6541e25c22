/* What the dashboard knows: who is signed in, the filters applied, the page of reports shown. */

export const state = {
  agent: null,
  csrf: "",
  filters: {},
  page: 1,
  perPage: 20,
  total: 0,
  items: [],
  selected: null,
  listRequest: 0, // the latest request of each kind: older answers are ignored
  chartsRequest: 0,
};
