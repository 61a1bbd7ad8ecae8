import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { startPwa } from './pwa';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');
// A request or script the Content-Security-Policy blocked is a bug to see, not a silent failure.
document.addEventListener('securitypolicyviolation', (event) => {
  console.error(`Content-Security-Policy violation in the page: ${event.violatedDirective} blocked ${event.blockedURI || 'an inline resource'}`);
});
startPwa();
createRoot(root).render(
  <StrictMode>
    <App />
  </StrictMode>,
);
