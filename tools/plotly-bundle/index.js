'use strict';

// Entry point for the evalsheets partial plotly.js bundle.
// Only the trace types the app draws (see build.sh header) plus the ja locale.
// lib/core already registers `scatter`; it is listed again explicitly so the
// bundle keeps working if plotly.js ever stops bundling scatter into core.
var Plotly = require('plotly.js/lib/core');

Plotly.register([
    require('plotly.js/lib/bar'),
    require('plotly.js/lib/scatter'),
    require('plotly.js/lib/treemap'),
    require('plotly.js/lib/heatmap'),
    require('plotly.js/lib/locales/ja')
]);

module.exports = Plotly;
