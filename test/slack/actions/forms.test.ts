import { describe, expect, it } from 'vitest';
import { actionModal } from '../../../src/slack/actions/add-action.js';
import { declareModal } from '../../../src/slack/actions/declare-form.js';
import { resolveModal } from '../../../src/slack/actions/resolve.js';
import { roleModal } from '../../../src/slack/actions/role.js';
import { severityModal } from '../../../src/slack/actions/severity.js';
import { statuspageModal } from '../../../src/slack/actions/statuspage-form.js';
import { updateModal } from '../../../src/slack/actions/update.js';
import { incident } from '../blocks/fixtures.js';

describe('every form', () => {
  it('modal titles fit 24 characters', () => {
    const forms = [declareModal(), updateModal(incident()), roleModal(1), severityModal(incident()), actionModal(1), resolveModal(1), statuspageModal(incident(), { current: null, lastUpdate: null })];
    for (const v of forms) expect(v.title.text.length).toBeLessThanOrEqual(24);
  });
});
