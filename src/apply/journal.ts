import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { commonGitDir } from '../state/git/read.js';
import { diagnostic } from '../diagnostics/diagnostic.js';
import { HotfixError } from '../diagnostics/errors.js';
import { fileSystemError } from './file-system-error.js';
import type { Attestation } from './gate-answer.js';
import { isApprovalRecord, type ApprovalRecord } from './approval-record.js';
import { isReviewRequestRecord, type ReviewRequestRecord } from './review-request-record.js';
import type { GateTagRecord } from './gate-tag.js';
import { isGateWaitRecord, isJournalSubject, type GateWaitRecord, type JournalSubject } from './gate-wait-record.js';

/**
 * Which actions of a plan are finished, kept in the git directory of the plan's first
 * repository (never in the work tree), so a second `hotfix apply` of the same plan goes on
 * where the first stopped.
 */
/** A commit apply made again on a moved branch head instead of the planned one (rederive.ts). */
export interface Rederivation {
  readonly action: string;
  readonly planned: string;
  readonly applied: string;
  readonly onto: string;
}

export class Journal {
  private constructor(
    private readonly file: string,
    private readonly finished: Set<string>,
    private readonly remade: Map<string, Rederivation>,
    private readonly attestations: Attestation[],
    private readonly approvals: ApprovalRecord[],
    private readonly opened: ReviewRequestRecord[],
    private readonly tags: GateTagRecord[],
    private readonly waits: GateWaitRecord[],
    private subject: JournalSubject | undefined,
    /** The file as open() read it (undefined: there was none). */
    private readonly read: string | undefined,
  ) {}

  static async open(repo: string, planId: string): Promise<Journal> {
    // Only read here: the directory is made when the first action is recorded, so a refused
    // apply leaves the repository exactly as it was.
    const dir = join(await commonGitDir(repo), 'hotfix', 'journal');
    const file = join(dir, `${planId.replace(/^sha256:/, '')}.json`);
    // No journal yet (nothing there, or a file where its directory goes, which taking the
    // lock reports) is a fresh start; one that cannot be read must not pass for one.
    const text = await readFile(file, 'utf8').catch((error: NodeJS.ErrnoException) => (error.code === 'ENOENT' || error.code === 'ENOTDIR' ? undefined : fileSystemError(error, 'read the journal', file)));
    const saved = text === undefined ? {} : parseJournal(text, file);
    // Every entry is one apply wrote, or the whole journal is refused: an entry dropped
    // would be an action done twice, or (the signing approval) commits made with other ids.
    const entries = <T>(key: keyof SavedJournal, fits: (value: unknown) => value is T): T[] => {
      const value = saved[key];
      if (value === undefined) return [];
      if (Array.isArray(value) && value.every(fits)) return value;
      throw unreadable(file, `its "${key}" holds ${Array.isArray(value) ? 'an entry' : 'a value'} apply does not write`);
    };
    if (saved.subject !== undefined && !isJournalSubject(saved.subject)) throw unreadable(file, 'its "subject" is not one apply writes');
    const done = entries('done', (d): d is string => typeof d === 'string');
    const remade = entries('rederived', isRederivation);
    return new Journal(file, new Set(done), new Map(remade.map((r) => [r.action, r])), entries('attested', isAttestation), entries('approved', isApprovalRecord), entries('reviewRequests', isReviewRequestRecord), entries('gateTags', isGateTag), entries('gateWaits', isGateWaitRecord), saved.subject, text);
  }

  /**
   * Whether the file still holds what open() read. Apply reads the journal before it takes
   * the lock (a finished plan takes none), so another apply of the plan may have written it
   * in between; asked right after the lock is taken, before this one saves anything.
   */
  async unchangedSinceOpen(): Promise<boolean> {
    return (await readFile(this.file, 'utf8').catch(() => undefined)) === this.read;
  }

  get done(): ReadonlySet<string> {
    return this.finished;
  }

  /** The commits made again on a moved branch, by action id: apply checks each by making it again. */
  get rederived(): ReadonlyMap<string, Rederivation> {
    return this.remade;
  }

  async finish(actionId: string): Promise<void> {
    this.finished.add(actionId);
    await this.save('record the finished action in the journal');
  }

  /** Recorded before the commit is written, so a rerun after a crash knows which commit is the action's. */
  async rederive(record: Rederivation): Promise<void> {
    this.remade.set(record.action, record);
    await this.save('record the re-derived commit in the journal');
  }

  /** Who stood in for which required checks with --check, each time a gate passed on it. */
  get attested(): readonly Attestation[] {
    return this.attestations;
  }

  async attest(record: Attestation): Promise<void> {
    this.attestations.push(record);
    await this.save('record the attested checks in the journal');
  }

  /** Who approved the plan on its pull request, each time apply --pr found it approved. */
  get approved(): readonly ApprovalRecord[] {
    return this.approvals;
  }

  /** The approval whose approvers the commits carry: the first recorded before any action was done. */
  get signer(): ApprovalRecord | undefined {
    return this.approvals.find((a) => a.signs);
  }

  async approve(record: ApprovalRecord): Promise<void> {
    this.approvals.push(this.finished.size === 0 && this.signer === undefined ? { ...record, signs: true } : record);
    await this.save('record the approval in the journal');
  }

  /** The pull requests apply opened for the branches it pushed, one per action, the latest finding of each. */
  get reviewRequests(): readonly ReviewRequestRecord[] {
    return this.opened;
  }

  async recordReviewRequest(record: ReviewRequestRecord): Promise<void> {
    latestOfAction(this.opened, record);
    await this.save('record the pull request in the journal');
  }

  /** The tags gates decided (tag-at-gate.ts): recorded before the commit that writes one, so a rerun writes the same. */
  get gateTags(): readonly GateTagRecord[] {
    return this.tags;
  }

  async decideTag(record: GateTagRecord): Promise<void> {
    this.tags.push(record);
    await this.save('record the tag decided at the gate in the journal');
  }

  /** The gates with forge checks an apply stopped or waited at, the latest of each. */
  get gateWaits(): readonly GateWaitRecord[] {
    return this.waits;
  }

  async waitAtGate(record: GateWaitRecord): Promise<void> {
    latestOfAction(this.waits, record);
    await this.save('record the gate apply waits at in the journal');
  }

  /** What the plan was for (policy, environment, kind); kept with the next record saved. */
  get about(): JournalSubject | undefined {
    return this.subject;
  }

  describe(subject: JournalSubject): void {
    this.subject = subject;
  }

  private async save(what: string): Promise<void> {
    try {
      await mkdir(dirname(this.file), { recursive: true });
      // Write then rename: a crash leaves the old journal or the new one, never half of one.
      await writeFile(`${this.file}.tmp`, JSON.stringify({ done: [...this.finished], ...(this.remade.size > 0 ? { rederived: [...this.remade.values()] } : {}), ...(this.attestations.length > 0 ? { attested: this.attestations } : {}), ...(this.approvals.length > 0 ? { approved: this.approvals } : {}), ...(this.opened.length > 0 ? { reviewRequests: this.opened } : {}), ...(this.tags.length > 0 ? { gateTags: this.tags } : {}), ...(this.waits.length > 0 ? { gateWaits: this.waits } : {}), ...(this.subject ? { subject: this.subject } : {}) }) + '\n');
      await rename(`${this.file}.tmp`, this.file);
    } catch (error) {
      fileSystemError(error, what, this.file);
    }
  }
}

/** Keeps one record per action: this one in place of an earlier one. */
function latestOfAction<T extends { readonly action: string }>(records: T[], record: T): void {
  const at = records.findIndex((r) => r.action === record.action);
  if (at < 0) records.push(record);
  else records[at] = record;
}

function isAttestation(value: unknown): value is Attestation {
  const a = value as Record<string, unknown> | null;
  return typeof a === 'object' && a !== null && ['action', 'by', 'at'].every((key) => typeof a[key] === 'string') && Array.isArray(a.checks) && a.checks.every((c) => typeof c === 'string');
}

function isRederivation(value: unknown): value is Rederivation {
  const r = value as Record<string, unknown> | null;
  return typeof r === 'object' && r !== null && typeof r.action === 'string' && ['planned', 'applied', 'onto'].every((key) => typeof r[key] === 'string' && /^[0-9a-f]{40}$/.test(r[key]));
}

function isGateTag(value: unknown): value is GateTagRecord {
  const r = value as Record<string, unknown> | null;
  const made = (m: unknown) => typeof m === 'object' && m !== null && ['action', 'planned', 'applied'].every((key) => typeof (m as Record<string, unknown>)[key] === 'string');
  return typeof r === 'object' && r !== null && ['action', 'pattern', 'tag'].every((key) => typeof r[key] === 'string') && Array.isArray(r.fitting) && r.fitting.every((t) => typeof t === 'string') && (r.made === undefined || (Array.isArray(r.made) && r.made.every(made)));
}

type SavedJournal = Partial<Record<'done' | 'rederived' | 'attested' | 'approved' | 'reviewRequests' | 'gateTags' | 'gateWaits' | 'subject', unknown>>;

function parseJournal(text: string, file: string): SavedJournal {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable(file, 'it is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw unreadable(file, 'it is not a JSON object');
  return value;
}

/** HF431: what an earlier run did cannot be known, so this one does nothing. */
function unreadable(file: string, why: string): HotfixError {
  return new HotfixError([diagnostic('HF431', `the journal ${file} is not one apply wrote (${why}), so what an earlier apply of this plan did cannot be known. Nothing was written: restore the file, or move it aside to start again (apply then checks each action against the repositories and their remotes)`)]);
}
