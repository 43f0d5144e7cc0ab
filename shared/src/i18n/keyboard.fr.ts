import type { enKeyboard } from './keyboard.en.js';

/** Messages français : mêmes clés que `keyboard.en.ts`. */
export const frKeyboard: Record<keyof typeof enKeyboard, string> = {
  'board.moveHint': 'Sur une carte : Espace la saisit, les flèches la déplacent (gauche et droite vers la colonne voisine), Espace ou Entrée la dépose, Échap la remet en place.',
  'board.move.pickedUp': 'Carte {card} saisie, colonne {column}, position {position} sur {count}.',
  'board.move.moved': 'Carte {card} déplacée, colonne {column}, position {position} sur {count}.',
  'board.move.dropped': 'Carte {card} déposée, colonne {column}, position {position} sur {count}.',
  'board.move.cancelled': 'Déplacement annulé : la carte {card} est revenue dans la colonne {column}, position {position} sur {count}.',
  'pipeline.moveHint': 'Glissez une proposition vers une autre étape ou utilisez ses flèches. Au clavier, Espace saisit la proposition sélectionnée, les flèches gauche et droite la déplacent, Espace ou Entrée la dépose et Échap la remet en place. Un passage sans les visas nécessaires est refusé et expliqué.',
  'pipeline.move.pickedUp': 'Proposition {card} saisie, étape {stage}.',
  'pipeline.move.moved': 'Proposition {card} déplacée, étape {stage}.',
  'pipeline.move.dropped': 'Proposition {card} déposée, étape {stage}.',
  'pipeline.move.cancelled': 'Déplacement annulé : la proposition {card} est revenue à l’étape {stage}.',
  'history.updatedTogether': '{actors} ont modifié ensemble {kind} « {subject} »',
  'history.updatedTogether.board': '{actors} ont modifié ensemble le tableau',
} as const;
