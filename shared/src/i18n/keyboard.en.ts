/** English messages of keyboard moves and side panels. Keys are shared with `keyboard.fr.ts`. */
export const enKeyboard = {
  'board.moveHint': 'On a card: Space picks it up, the arrow keys move it (left and right to the next column), Space or Enter drops it, Escape puts it back.',
  'board.move.pickedUp': 'Card {card} picked up, column {column}, position {position} of {count}.',
  'board.move.moved': 'Card {card} moved, column {column}, position {position} of {count}.',
  'board.move.dropped': 'Card {card} dropped, column {column}, position {position} of {count}.',
  'board.move.cancelled': 'Move cancelled: card {card} is back in column {column}, position {position} of {count}.',
  'pipeline.moveHint': 'Drag a proposal to another stage or use the arrows on it. With the keyboard, Space picks up a focused proposal, the left and right arrows move it, Space or Enter drops it and Escape puts it back. A move that lacks sign-offs is refused and explained.',
  'pipeline.move.pickedUp': 'Proposal {card} picked up, stage {stage}.',
  'pipeline.move.moved': 'Proposal {card} moved, stage {stage}.',
  'pipeline.move.dropped': 'Proposal {card} dropped, stage {stage}.',
  'pipeline.move.cancelled': 'Move cancelled: proposal {card} is back in stage {stage}.',
  'history.updatedTogether': '{actors} changed {kind} “{subject}” together',
  'history.updatedTogether.board': '{actors} changed the board together',
} as const;
