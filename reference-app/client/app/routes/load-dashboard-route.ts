/** The dashboard route's chunk; app.tsx renders it lazily and main.tsx requests it early, before React starts. */
export const loadDashboardRoute = () => import(/* webpackChunkName: "route-dashboard" */ './dashboard-route.tsx');
