import { automationRules } from './automation.js';
import { checksSourceRules } from './checks-source.js';
import { configLocationRules } from './config-locations.js';
import { environmentRules } from './environments.js';
import { gitAuthorRules } from './git-author.js';
import { hotfixImageTagRules } from './hotfix-image-tag.js';
import { mergeBackRules } from './merge-back.js';
import { nameRules } from './names.js';
import { overridableRules } from './overridable.js';
import { revisionSourceRules } from './revision-sources.js';
import type { Rule } from './rule.js';

export const RULES: readonly Rule[] = [environmentRules, nameRules, revisionSourceRules, configLocationRules, automationRules, mergeBackRules, gitAuthorRules, overridableRules, hotfixImageTagRules, checksSourceRules];
