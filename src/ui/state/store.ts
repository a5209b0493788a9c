import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LiveEvent, OfferedProposal, ResearchEvent } from '../../core/research/events.ts';
import type { ApprovalDecision } from '../../core/research/ports.ts';
import type { LedgerEntry } from '../../core/ledger/schema.ts';
import type { Spec } from '../../core/spec/schema.ts';
import { diffJson } from '../../core/spec/diff.ts';
import type { PaneId } from '../layout.ts';
import { clip } from '../text.ts';
import { proposalText } from './history.ts';
import { emptySession, reduceEvent, reduceLive } from './reduce.ts';
import type { ConsoleData, EquityView, Focus, IdeaChoice, Settings } from './types.ts';
import { browserActions, type BrowserActions, type BrowserEffects } from './browser-actions.ts';
import { emptyBrowser } from './browser.ts';

/**
 * The console's one store (zustand/vanilla): state plus named actions. The loop's events come in
 * through `receive`, the user's decisions through the inbox actions; the composition root does
 * the I/O the actions ask for through ConsoleEffects.
 */

export interface ConsoleEffects extends BrowserEffects {
  /** Start a research session on the chosen idea (the composition root reads files, wires the loop). */
  start(choice: IdeaChoice): void;
  /** Abort model calls in flight and stop the loop at its next step (kill or quit while it is busy). */
  abort(): void;
  /** Let the loop end, flush and close the store. Resolves when it is safe to exit. */
  close(): Promise<void>;
}

export interface ConsoleActions extends BrowserActions {
  receive(e: ResearchEvent): void;
  live(e: LiveEvent): void;
  /** The session's spec (or a new version of it) as stored: the Spec pane shows its hashes and diff. */
  specLoaded(rec: { id: string; logic_hash: string; params_hash: string }, spec: Spec): void;
  equityLoaded(v: EquityView): void;
  ledgerLoaded(entries: LedgerEntry[]): void;
  sessionEnded(error: string | null): void;
  /** The ApproverPort's side: resolves when the user (or the standing auto-approval) decides. */
  offer(p: OfferedProposal): Promise<ApprovalDecision>;
  approve(): void;
  veto(): void;
  startNote(): void;
  editNote(text: string): void;
  sendNote(): void;
  cancelNote(): void;
  /** `k`: asks first (the confirmation takes the keys); `confirmKill` kills, `cancelKill` goes back. */
  kill(): void;
  confirmKill(): void;
  cancelKill(): void;
  togglePause(): void;
  toggleHelp(): void;
  /** Scrolls the help by `delta` lines (the overlay clamps the offset to what exists). */
  helpScroll(delta: number): void;
  zoom(pane: PaneId | null): void;
  move(delta: number): void;
  section(step: 1 | -1): void;
  editDraft(text: string): void;
  choose(): void;
  submitDraft(): void;
  leaveIdea(): void;
  startIdea(choice: IdeaChoice): void;
  newIdea(): void;
  quit(): Promise<void>;
}

export type ConsoleState = ConsoleData & { actions: ConsoleActions };
export type ConsoleStore = StoreApi<ConsoleState>;

export interface ConsoleInit {
  settings: Settings;
  examples?: IdeaChoice[];
  files?: IdeaChoice[];
  filesRoot?: string;
}

const SECTIONS: Focus[] = ['examples', 'idea', 'files'];

export function initialData(init: ConsoleInit): ConsoleData {
  return {
    settings: init.settings,
    screen: 'start',
    focus: 'examples',
    help: false,
    helpOffset: 0,
    zoom: null,
    start: { examples: init.examples ?? [], files: init.files ?? [], filesRoot: init.filesRoot ?? '.', cursor: { examples: 0, files: 0 }, draft: '', error: null },
    run: 'idle',
    history: [],
    browser: emptyBrowser(),
    ...emptySession(),
  };
}

export function createConsoleStore(init: ConsoleInit, effects: ConsoleEffects): ConsoleStore {
  let pending: { id: string; resolve: (d: ApprovalDecision) => void } | null = null;

  return createStore<ConsoleState>()((set, get, api) => {
    /** Answers the waiting proposal (only one waits at a time: the loop asks one by one). */
    const answer = (d: ApprovalDecision): boolean => {
      if (pending === null) return false;
      const p = pending;
      pending = null;
      set((s) => ({ inbox: { ...s.inbox, pending: null, note: '' }, focus: s.focus === 'note' ? 'console' : s.focus }));
      // Every answer from the inbox is a person's, also in a headless session resumed here (a
      // suspension answers nothing, so it names no one).
      p.resolve(d.decision === 'suspend' ? d : { ...d, by: 'user' });
      return true;
    };
    const decidable = (): boolean => pending !== null && get().run === 'running';
    const untilUnpaused = (): Promise<void> => new Promise((resolve) => {
      if (get().run !== 'paused') { resolve(); return; }
      const off = api.subscribe((s) => { if (s.run !== 'paused') { off(); resolve(); } });
    });

    const actions: ConsoleActions = {
      ...browserActions<ConsoleState>(set, get, effects),
      receive: (e) => set((s) => ({ ...reduceEvent(s, e), ...(s.run === 'starting' ? { run: 'running' as const } : {}) })),
      live: (e) => set((s) => reduceLive(s, e)),
      specLoaded: ({ id, logic_hash: logic, params_hash: params }, spec) => set((s) => {
        if (s.spec?.id === id) return {};
        const changes = s.spec === null ? [] : diffJson(s.spec.spec, spec)
          .filter((c) => c.path !== 'parent')
          .map((c) => ({ path: c.path, from: JSON.stringify(c.from ?? null), to: JSON.stringify(c.to ?? null) }));
        return { spec: { id, spec, version: (s.spec?.version ?? 0) + 1 }, specChanges: changes, specHashes: { id, logic, params, name: spec.name } };
      }),
      equityLoaded: (v) => set({ equity: v }),
      // The ledger has the last word on the balance: a promotion's reset is in it, not in any spend event.
      ledgerLoaded: (entries) => set((s) => ({ ledger: entries, balance: entries.at(-1)?.balance ?? s.balance })),
      sessionEnded: (error) => {
        pending = null;
        set((s) => ({
          run: error === null ? 'finished' : 'failed',
          error,
          inbox: { ...s.inbox, pending: null },
          focus: s.focus === 'note' || s.focus === 'confirm' ? 'console' : s.focus,
          stages: error === null ? s.stages : Object.fromEntries(Object.entries(s.stages).map(([k, v]) => [k, v.status === 'running' ? { ...v, status: 'failed' } : v])) as ConsoleData['stages'],
        }));
      },

      offer: async (p) => {
        const s = get();
        // Quitting suspends: the proposal stays unanswered, to be offered again on resume.
        if (s.run === 'closing') return { decision: 'suspend' };
        if (s.killRequested) return { decision: 'kill', by: 'user' };
        const limit = s.settings.autoApprove;
        // The standing approval covers costed steps only: a step that ends the session (kill, promote)
        // always waits for the person, however cheap.
        if (limit !== null && p.cost < limit && p.action !== 'kill' && p.action !== 'promote') {
          await untilUnpaused();
          if (get().run === 'closing') return { decision: 'suspend' };
          if (get().killRequested) return { decision: 'kill', by: 'user' };
          set((x) => ({
            inbox: { ...x.inbox, autoNote: `auto-approved ${clip(proposalText(p), 40)} · ${p.cost} cr (standing approval < ${limit})` },
            decision: { ...x.decision, auto: true },
          }));
          return { decision: 'approve' };
        }
        return new Promise<ApprovalDecision>((resolve) => {
          pending = { id: p.id, resolve };
          set((x) => ({ inbox: { pending: p, note: '', autoNote: null } , focus: x.focus === 'note' ? 'console' : x.focus }));
        });
      },
      approve: () => { if (decidable()) answer({ decision: 'approve' }); },
      veto: () => { if (decidable()) answer({ decision: 'veto' }); },
      startNote: () => { if (decidable()) set({ focus: 'note' }); },
      editNote: (text) => set((s) => ({ inbox: { ...s.inbox, note: text } })),
      sendNote: () => {
        if (!decidable()) return;
        const note = get().inbox.note.trim();
        answer(note === '' ? { decision: 'veto' } : { decision: 'veto', note });
      },
      cancelNote: () => set((s) => ({ focus: 'console', inbox: { ...s.inbox, note: '' } })),
      kill: () => {
        const run = get().run;
        if (run !== 'running' && run !== 'paused' && run !== 'starting') return;
        set({ focus: 'confirm' });
      },
      cancelKill: () => set((s) => ({ focus: s.focus === 'confirm' ? 'console' : s.focus })),
      confirmKill: () => {
        const run = get().run;
        set((s) => ({ focus: s.focus === 'confirm' ? 'console' : s.focus }));
        if (run !== 'running' && run !== 'paused' && run !== 'starting') return;
        // Killing overrides a pause: the loop has to run on to record the KILLED status.
        if (run === 'paused') set({ run: 'running' });
        if (answer({ decision: 'kill' })) return;
        set({ killRequested: true });
        effects.abort();
      },
      togglePause: () => {
        const run = get().run;
        if (run === 'running') set({ run: 'paused' });
        else if (run === 'paused') set({ run: 'running' });
      },
      toggleHelp: () => set((s) => ({ help: !s.help, helpOffset: 0 })),
      helpScroll: (delta) => set((s) => ({ helpOffset: Math.max(0, s.helpOffset + delta) })),
      zoom: (pane) => set({ zoom: pane }),

      move: (delta) => set((s) => {
        const list = s.focus === 'files' ? 'files' : s.focus === 'examples' ? 'examples' : null;
        if (list === null) return {};
        const n = s.start[list].length;
        const at = n === 0 ? 0 : Math.min(n - 1, Math.max(0, s.start.cursor[list] + delta));
        return { start: { ...s.start, cursor: { ...s.start.cursor, [list]: at } } };
      }),
      section: (step) => set((s) => {
        const i = SECTIONS.indexOf(s.focus);
        if (i < 0) return {};
        return { focus: SECTIONS[(i + step + SECTIONS.length) % SECTIONS.length]!, start: { ...s.start, error: null } };
      }),
      editDraft: (text) => set((s) => ({ start: { ...s.start, draft: text, error: null } })),
      choose: () => {
        const s = get();
        const list = s.focus === 'files' ? s.start.files : s.focus === 'examples' ? s.start.examples : null;
        const choice = list?.[s.focus === 'files' ? s.start.cursor.files : s.start.cursor.examples];
        if (choice === undefined) {
          set({ start: { ...s.start, error: s.focus === 'files' ? 'no .pine or .txt file here; type an idea instead' : 'nothing to choose' } });
          return;
        }
        actions.startIdea(choice);
      },
      submitDraft: () => {
        const s = get();
        const text = s.start.draft.trim();
        if (text === '') { set({ start: { ...s.start, error: 'type an idea first, e.g. "buy when rsi(14) < 30; sell when rsi(14) > 70"' } }); return; }
        actions.startIdea({ label: clip(text.replace(/\s+/g, ' '), 60), kind: 'text', text });
      },
      leaveIdea: () => set({ focus: 'examples' }),
      startIdea: (choice) => {
        set({ ...emptySession(), screen: 'console', focus: 'console', zoom: null, help: false, run: 'starting', idea: choice.label });
        effects.start(choice);
      },
      newIdea: () => {
        const run = get().run;
        if (run !== 'finished' && run !== 'failed') return;
        set((s) => ({ screen: 'start', focus: 'examples', run: 'idle', zoom: null, start: { ...s.start, draft: '', error: null } }));
      },
      quit: async () => {
        const run = get().run;
        // A live session is suspended, never killed: the step in flight finishes, the waiting (or next)
        // proposal stays unanswered, and the store records SUSPENDED. Only a confirmed `k` kills.
        set({ run: run === 'running' || run === 'paused' || run === 'starting' ? 'closing' : run, help: false });
        answer({ decision: 'suspend' });
        await effects.close();
      },
    };
    return { ...initialData(init), actions };
  });
}
