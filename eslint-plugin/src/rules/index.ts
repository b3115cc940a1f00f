import noGuardAcrossAwait from './no-guard-across-await.js';
import noImplicitCapture from './no-implicit-capture.js';
import noNonSendCapture from './no-non-send-capture.js';
import noNonSyncBorrow from './no-non-sync-borrow.js';
import noUseAfterMove from './no-use-after-move.js';
import requireUsingGuard from './require-using-guard.js';

/** Every rule of the plugin, by name. */
export const rules = {
  'no-guard-across-await': noGuardAcrossAwait,
  'no-implicit-capture': noImplicitCapture,
  'no-non-send-capture': noNonSendCapture,
  'no-non-sync-borrow': noNonSyncBorrow,
  'no-use-after-move': noUseAfterMove,
  'require-using-guard': requireUsingGuard,
};
